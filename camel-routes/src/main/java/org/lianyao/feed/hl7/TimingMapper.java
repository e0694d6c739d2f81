package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.datatype.CQ;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.RPT;
import ca.uhn.hl7v2.model.v251.datatype.TM;
import ca.uhn.hl7v2.model.v251.datatype.TQ;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Timing.TimingRepeatComponent;
import org.hl7.fhir.r4.model.Timing.UnitsOfTime;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.FrequencyTiming;

/**
 * Timing of an order: TQ1 (v2.5) or the older TQ data type (RXE-1 / ORC-7, v2.3–2.4 senders) →
 * FHIR Timing, as-needed, priority and days supply.
 *
 * <p>Frequency (TQ1-3 / TQ-2.1) is resolved through the terminology module's Timing properties:
 * the national CV06.00.228 table when the sender names it, otherwise Lianyao's his-frequency code
 * system (case-insensitive; aliases such as STAT → st, QHS → hs, 3ID → tid are normalised first).
 * {@code Timing.code} carries the his-frequency coding, plus the national coding when the ConceptMap
 * says it is equivalent (there is none for tid, q4h, prn: the Timing then stands alone). Generic
 * {@code Q<n>H}, {@code Q<n>D}, {@code Q<n>W} and {@code Q<n>MIN} not in the table become a Timing
 * with the code only as text. An unknown frequency is kept as text and warned about, never guessed.
 *
 * <p>Days supply (dispenseRequest.expectedSupplyDuration, MedicationDispense.daysSupply) comes from
 * TQ1-13 occurrence duration (units d/wk, or 天/周), else TQ-3 duration {@code D<n>}/{@code W<n>}.
 */
final class TimingMapper {

  /** Coding-system names for the national frequency table. */
  static final Set<String> NATIONAL_FREQUENCY_NAMES = Set.of("CV06.00.228", "2.16.156.10011.2.3.1.267",
      CodeSystems.FREQUENCY.toUpperCase(Locale.ROOT));

  /** HL7 table 0335 and HIS spellings that are another name for a his-frequency code. */
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("STAT", "st"), Map.entry("ST", "st"), Map.entry("NOW", "st"),
      Map.entry("QHS", "hs"), Map.entry("HS", "hs"),
      Map.entry("QN", "qn"), Map.entry("QPM", "qn"),
      Map.entry("QD", "qd"), Map.entry("Q1D", "qd"), Map.entry("QDAY", "qd"), Map.entry("DAILY", "qd"), Map.entry("1ID", "qd"),
      Map.entry("2ID", "bid"), Map.entry("3ID", "tid"), Map.entry("4ID", "qid"),
      Map.entry("Q2D", "qod"), Map.entry("Q1W", "qw"), Map.entry("QWK", "qw"), Map.entry("ONCE", "once"),
      Map.entry("Q1H", "q1h"), Map.entry("QH", "q1h"));

  private static final Pattern GENERIC = Pattern.compile("Q(\\d{1,3})(H|D|W|MIN|M)");
  private static final Pattern TQ_DURATION_DAYS = Pattern.compile("([DW])(\\d+(?:\\.\\d+)?)");
  private static final Pattern TQ_DURATION_TIMES = Pattern.compile("X(\\d{1,6})");
  private static final Pattern TIME_OF_DAY = Pattern.compile("([01]\\d|2[0-3])([0-5]\\d)?([0-5]\\d)?");

  /**
   * @param timing Dosage.timing (may be empty)
   * @param asNeeded PRN
   * @param asNeededText condition of a PRN order (TQ1-10 / TQ-7)
   * @param priority stat | asap | routine | urgent, or null
   * @param supplyDays days supply, or null
   * @param text free-text instruction (TQ1-11 / TQ-8)
   */
  record Result(Timing timing, boolean asNeeded, String asNeededText, String priority, BigDecimal supplyDays,
      String text) {}

  private TimingMapper() {}

  /** From a TQ1 segment (v2.5). */
  static Result fromTq1(TQ1 tq1, ConversionContext ctx) throws HL7Exception {
    Timing timing = new Timing();
    boolean asNeeded = false;
    RPT[] patterns = tq1.getTq13_RepeatPattern();
    if (patterns.length > 0) {
      CWE pattern = patterns[0].getRpt1_RepeatPatternCode();
      FrequencyOutcome outcome = frequency(V2.text(pattern.getCwe1_Identifier()), V2.text(pattern.getCwe3_NameOfCodingSystem()),
          () -> Locations.component(tq1, 3, 1, 1), ctx);
      if (outcome != null) {
        timing = outcome.timing();
        asNeeded = outcome.asNeeded();
      }
    }
    for (TM time : tq1.getTq14_ExplicitTime()) {
      String hhmm = V2.text(time);
      if (hhmm != null) {
        repeat(timing).addTimeOfDay(timeOfDay(hhmm, () -> Locations.field(tq1, 4), tq1));
      }
    }
    CQ serviceDuration = tq1.getTq16_ServiceDuration();
    BigDecimal durationValue = V2.decimal(serviceDuration.getCq1_Quantity(), () -> Locations.field(tq1, 6), "给药持续时间", "service duration");
    if (durationValue != null) {
      UnitsOfTime unit = unitOfTime(V2.Coded.of(serviceDuration.getCq2_Units()));
      if (unit != null) {
        repeat(timing).setDuration(durationValue).setDurationUnit(unit);
      }
    }
    DateTimeType start = V2.dateTime(tq1.getTq17_StartDateTime(), ctx.config.zone(), () -> Locations.field(tq1, 7));
    DateTimeType end = V2.dateTime(tq1.getTq18_EndDateTime(), ctx.config.zone(), () -> Locations.field(tq1, 8));
    bounds(timing, start, end);
    String priority = null;
    for (CWE code : tq1.getTq19_Priority()) {
      String value = upper(V2.text(code.getCwe1_Identifier()));
      if ("PRN".equals(value)) {
        asNeeded = true;
      } else if (value != null && priority == null) {
        priority = priority(value);
      }
    }
    String condition = V2.text(tq1.getTq110_ConditionText());
    String text = V2.text(tq1.getTq111_TextInstruction());
    CQ occurrence = tq1.getTq113_OccurrenceDuration();
    BigDecimal days = days(V2.decimal(occurrence.getCq1_Quantity(), () -> Locations.field(tq1, 13), "疗程", "occurrence duration"),
        V2.Coded.of(occurrence.getCq2_Units()), () -> Locations.field(tq1, 13), ctx);
    if (days != null && start == null && end == null) {
      repeat(timing).setBounds(V2.days(days));
    }
    Integer total = V2.count(tq1.getTq114_TotalOccurrenceS(), () -> Locations.field(tq1, 14), "总次数", "total occurrences");
    if (total != null && !repeat(timing).hasCount()) {
      repeat(timing).setCount(total);
    }
    clean(timing);
    return new Result(timing, asNeeded, condition, priority, days, text);
  }

  /** From the TQ data type (RXE-1 or ORC-7) of v2.3–2.4 senders. */
  static Result fromTq(TQ tq, Segment segment, int field, ConversionContext ctx) throws HL7Exception {
    Timing timing = new Timing();
    boolean asNeeded = false;
    String pattern = V2.text(tq.getTq2_Interval().getRi1_RepeatPattern());
    FrequencyOutcome outcome = frequency(pattern, null, () -> Locations.component(segment, field, 1, 2), ctx);
    if (outcome != null) {
      timing = outcome.timing();
      asNeeded = outcome.asNeeded();
    }
    String explicit = V2.text(tq.getTq2_Interval().getRi2_ExplicitTimeInterval());
    if (explicit != null) {
      for (String hhmm : explicit.split(",")) {
        if (!hhmm.isBlank()) {
          repeat(timing).addTimeOfDay(timeOfDay(hhmm.strip(), () -> Locations.component(segment, field, 1, 2), segment));
        }
      }
    }
    DateTimeType start = V2.dateTime(tq.getTq4_StartDateTime(), ctx.config.zone(), () -> Locations.component(segment, field, 1, 4));
    DateTimeType end = V2.dateTime(tq.getTq5_EndDateTime(), ctx.config.zone(), () -> Locations.component(segment, field, 1, 5));
    bounds(timing, start, end);
    String priority = null;
    String priorityValue = upper(V2.text(tq.getTq6_Priority()));
    if ("PRN".equals(priorityValue)) {
      asNeeded = true;
    } else if (priorityValue != null) {
      priority = priority(priorityValue);
    }
    BigDecimal days = null;
    String duration = upper(V2.text(tq.getTq3_Duration()));
    if (duration != null) {
      Matcher durationDays = TQ_DURATION_DAYS.matcher(duration);
      Matcher times = TQ_DURATION_TIMES.matcher(duration);
      if (durationDays.matches()) {
        BigDecimal n = new BigDecimal(durationDays.group(2));
        days = durationDays.group(1).equals("W") ? n.multiply(BigDecimal.valueOf(7)) : n;
        if (start == null && end == null) {
          repeat(timing).setBounds(V2.days(days));
        }
      } else if (times.matches()) {
        repeat(timing).setCount(Integer.parseInt(times.group(1)));
      } else if (!duration.equals("INDEF")) {
        ctx.warn(ErrorCode.DATA_TYPE_ERROR, Locations.component(segment, field, 1, 3),
            "疗程“" + duration + "”不是 HL7 TQ 格式（如 D7、W2），未计算用药天数",
            "duration '" + duration + "' is not an HL7 TQ duration (D7, W2, …); no days supply derived");
      }
    }
    Integer total = V2.count(tq.getTq12_TotalOccurrences(), () -> Locations.component(segment, field, 1, 12),
        "总次数", "total occurrences");
    if (total != null && !repeat(timing).hasCount()) {
      repeat(timing).setCount(total);
    }
    clean(timing);
    return new Result(timing, asNeeded, V2.text(tq.getTq7_Condition()), priority, days, V2.text(tq.getTq8_Text()));
  }

  private record FrequencyOutcome(Timing timing, boolean asNeeded) {}

  private static FrequencyOutcome frequency(String raw, String codingSystem, Supplier<Location> where,
      ConversionContext ctx) {
    if (raw == null) {
      return null;
    }
    Hl7ConverterConfig config = ctx.config;
    if (codingSystem != null && NATIONAL_FREQUENCY_NAMES.contains(codingSystem.toUpperCase(Locale.ROOT))) {
      Optional<FrequencyTiming> national = config.frequencyTimings().lookup(CodeSystems.FREQUENCY, raw);
      if (national.isPresent()) {
        Timing timing = national.get().toTiming();
        timing.getCode().setText(raw);
        return new FrequencyOutcome(timing, national.get().asNeeded());
      }
    }
    String key = normalise(raw);
    String alias = ALIASES.get(key);
    Optional<FrequencyTiming> his = config.frequencyTimings().lookup(CodeSystems.HIS_FREQUENCY, alias != null ? alias : key);
    if (his.isPresent()) {
      FrequencyTiming frequency = his.get();
      Timing timing = frequency.toTiming();
      config.codeMapper().translate(CodeSystems.HIS_FREQUENCY, frequency.code(), CodeSystems.FREQUENCY)
          .filter(CodeMapper.Mapping::isExact)
          .ifPresent(mapping -> timing.getCode().addCoding(mapping.target()));
      timing.getCode().setText(raw);
      return new FrequencyOutcome(timing, frequency.asNeeded());
    }
    Matcher generic = GENERIC.matcher(key);
    if (generic.matches()) {
      Timing timing = new Timing().setCode(new CodeableConcept().setText(raw));
      UnitsOfTime unit = switch (generic.group(2)) {
        case "H" -> UnitsOfTime.H;
        case "D" -> UnitsOfTime.D;
        case "W" -> UnitsOfTime.WK;
        default -> UnitsOfTime.MIN;
      };
      timing.getRepeat().setFrequency(1).setPeriod(new BigDecimal(generic.group(1))).setPeriodUnit(unit);
      return new FrequencyOutcome(timing, false);
    }
    ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, where.get(),
        "用药频次“" + raw + "”无法识别，已原样保留为文本", "frequency '" + raw + "' is not recognised; kept as text only");
    return new FrequencyOutcome(new Timing().setCode(new CodeableConcept().setText(raw)), false);
  }

  /** Upper case without spaces and dots: {@code b.i.d.} → {@code BID}. */
  static String normalise(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != ' ' && c != '.') {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  private static String priority(String code) {
    return switch (code) {
      case "S", "STAT" -> "stat";
      case "A", "ASAP" -> "asap";
      case "R", "ROUTINE" -> "routine";
      case "T", "URGENT" -> "urgent";
      default -> null;
    };
  }

  /** CQ units of TQ1-6: HL7 ISO+ (S, M, H, D, W, L), UCUM and Chinese words. */
  private static UnitsOfTime unitOfTime(V2.Coded unit) {
    String code = unit.code() != null ? unit.code() : unit.text();
    if (code == null) {
      return null;
    }
    return switch (code) {
      case "s", "S", "秒" -> UnitsOfTime.S;
      case "min", "M", "MIN", "分", "分钟" -> UnitsOfTime.MIN;
      case "h", "H", "小时" -> UnitsOfTime.H;
      case "d", "D", "天", "日" -> UnitsOfTime.D;
      case "wk", "W", "WK", "周" -> UnitsOfTime.WK;
      case "mo", "L", "MO", "月" -> UnitsOfTime.MO;
      default -> null;
    };
  }

  private static BigDecimal days(BigDecimal value, V2.Coded unit, Supplier<Location> where, ConversionContext ctx) {
    if (value == null) {
      return null;
    }
    UnitsOfTime time = unitOfTime(unit);
    if (time == UnitsOfTime.D) {
      return value;
    }
    if (time == UnitsOfTime.WK) {
      return value.multiply(BigDecimal.valueOf(7));
    }
    ctx.warn(ErrorCode.DATA_TYPE_ERROR, where.get(),
        "疗程单位“" + (unit.display() == null ? "" : unit.display()) + "”不是天或周，未计算用药天数",
        "occurrence duration unit '" + unit.display() + "' is neither days nor weeks; no days supply derived");
    return null;
  }

  private static String timeOfDay(String hhmm, Supplier<Location> where, Segment segment) throws HL7Exception {
    String digits = hhmm.replace(":", "");
    if (!TIME_OF_DAY.matcher(digits).matches()) {
      throw Hl7ConversionException.dataType(where.get(), hhmm, "时间（HHMM）", "time (HHMM)");
    }
    String hh = digits.substring(0, 2);
    String mm = digits.length() >= 4 ? digits.substring(2, 4) : "00";
    String ss = digits.length() >= 6 ? digits.substring(4, 6) : "00";
    return hh + ":" + mm + ":" + ss;
  }

  private static void bounds(Timing timing, DateTimeType start, DateTimeType end) {
    if (start != null || end != null) {
      Period period = new Period();
      period.setStartElement(start);
      period.setEndElement(end);
      repeat(timing).setBounds(period);
    }
  }

  private static TimingRepeatComponent repeat(Timing timing) {
    return timing.getRepeat();
  }

  /** getRepeat() creates an empty repeat; drop it again if nothing was set. */
  private static void clean(Timing timing) {
    // FHIR tim-10: timeOfDay and when exclude each other. Explicit clock times (TQ1-4, TQ-2.2)
    // are what the prescriber wrote; the frequency table's "when" (e.g. qn → NIGHT) is generic.
    if (timing.hasRepeat() && timing.getRepeat().hasTimeOfDay()) {
      timing.getRepeat().getWhen().clear();
    }
    if (timing.getRepeat().isEmpty()) {
      timing.setRepeat(null);
    }
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }
}
