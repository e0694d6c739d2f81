package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.FT;
import ca.uhn.hl7v2.model.v251.datatype.NM;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Quantity;

/** Reading HL7 v2 values into Java and FHIR values: text, numbers, dates, coded values, units, notes. */
final class V2 {

  static final String UCUM = "http://unitsofmeasure.org";

  private static final Pattern DTM = Pattern.compile(
      "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");
  /** {@code 2026-11-20 09:28:00}: not HL7, but what many HIS databases print. */
  private static final Pattern ISO_LIKE = Pattern.compile("\\d{4}-\\d{2}(-\\d{2}([ T]\\d{2}(:\\d{2}(:\\d{2})?)?)?)?");
  private static final DateTimeFormatter FHIR_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  /**
   * Unit spellings seen in HIS → UCUM code. Units outside this table (片, 粒, 支, 盒 …) stay as
   * Quantity.unit text only, which is what FHIR prescribes for non-UCUM units.
   */
  private static final Map<String, String> UCUM_UNITS = Map.ofEntries(
      Map.entry("mg", "mg"), Map.entry("毫克", "mg"),
      Map.entry("g", "g"), Map.entry("克", "g"),
      Map.entry("kg", "kg"), Map.entry("千克", "kg"),
      Map.entry("ug", "ug"), Map.entry("μg", "ug"), Map.entry("µg", "ug"), Map.entry("mcg", "ug"), Map.entry("微克", "ug"),
      Map.entry("ml", "mL"), Map.entry("毫升", "mL"),
      Map.entry("l", "L"), Map.entry("升", "L"),
      Map.entry("iu", "[iU]"), Map.entry("国际单位", "[iU]"),
      Map.entry("mmol", "mmol"), Map.entry("毫摩尔", "mmol"),
      Map.entry("%", "%"));

  private V2() {}

  /** Trimmed value, or null for empty and for the HL7 explicit null {@code ""}. */
  static String text(Primitive primitive) {
    return primitive == null ? null : clean(primitive.getValue());
  }

  static String clean(String value) {
    if (value == null) {
      return null;
    }
    String stripped = value.strip();
    return stripped.isEmpty() || stripped.equals("\"\"") ? null : stripped;
  }

  /** A CE or CWE value: code, text and coding-system name, plus the alternate triplet. */
  record Coded(String code, String text, String system, String altCode, String altText, String altSystem) {

    static Coded of(CE ce) {
      return new Coded(V2.text(ce.getCe1_Identifier()), V2.text(ce.getCe2_Text()), V2.text(ce.getCe3_NameOfCodingSystem()),
          V2.text(ce.getCe4_AlternateIdentifier()), V2.text(ce.getCe5_AlternateText()),
          V2.text(ce.getCe6_NameOfAlternateCodingSystem()));
    }

    static Coded of(CWE cwe) {
      String text = V2.text(cwe.getCwe2_Text());
      return new Coded(V2.text(cwe.getCwe1_Identifier()), text != null ? text : V2.text(cwe.getCwe9_OriginalText()),
          V2.text(cwe.getCwe3_NameOfCodingSystem()), V2.text(cwe.getCwe4_AlternateIdentifier()),
          V2.text(cwe.getCwe5_AlternateText()), V2.text(cwe.getCwe6_NameOfAlternateCodingSystem()));
    }

    boolean isEmpty() {
      return code == null && text == null && altCode == null && altText == null;
    }

    /** What a person should read: text, else alternate text, else the code. */
    String display() {
      return text != null ? text : altText != null ? altText : code != null ? code : altCode;
    }
  }

  /** Decimal value of an NM field. */
  static BigDecimal decimal(NM nm, Supplier<Location> where, String chineseWhat, String englishWhat)
      throws Hl7ConversionException {
    return decimal(text(nm), where, chineseWhat, englishWhat);
  }

  static BigDecimal decimal(String value, Supplier<Location> where, String chineseWhat, String englishWhat)
      throws Hl7ConversionException {
    if (value == null) {
      return null;
    }
    try {
      return new BigDecimal(value.startsWith("+") ? value.substring(1) : value);
    } catch (NumberFormatException e) {
      throw Hl7ConversionException.dataType(where.get(), value, "数值（" + chineseWhat + "）", "number (" + englishWhat + ")");
    }
  }

  /** Non-negative integer value of an NM field (refills, counters). */
  static Integer count(NM nm, Supplier<Location> where, String chineseWhat, String englishWhat)
      throws Hl7ConversionException {
    BigDecimal value = decimal(nm, where, chineseWhat, englishWhat);
    if (value == null) {
      return null;
    }
    try {
      int result = value.stripTrailingZeros().intValueExact();
      if (result >= 0) {
        return result;
      }
    } catch (ArithmeticException e) {
      // fall through to the data type error
    }
    throw Hl7ConversionException.dataType(where.get(), value.toPlainString(), "非负整数（" + chineseWhat + "）",
        "non-negative integer (" + englishWhat + ")");
  }

  /** TS/DTM → FHIR dateTime with the precision sent; a time without offset is read in {@code zone}. */
  static DateTimeType dateTime(TS ts, ZoneId zone, Supplier<Location> where) throws Hl7ConversionException {
    return dateTime(text(ts.getTs1_Time()), zone, where);
  }

  static DateTimeType dateTime(String value, ZoneId zone, Supplier<Location> where) throws Hl7ConversionException {
    if (value == null) {
      return null;
    }
    Matcher m = dtm(value, where);
    try {
      int year = Integer.parseInt(m.group(1));
      if (m.group(2) == null) {
        return new DateTimeType(String.format("%04d", year));
      }
      int month = Integer.parseInt(m.group(2));
      if (m.group(3) == null) {
        LocalDate.of(year, month, 1);
        return new DateTimeType(String.format("%04d-%02d", year, month));
      }
      LocalDate date = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
      if (m.group(4) == null) {
        return new DateTimeType(date.toString());
      }
      // FHIR needs seconds and an offset once a time is given: HH and HHMM are padded.
      LocalDateTime local = date.atTime(Integer.parseInt(m.group(4)),
          m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
          m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
      ZoneOffset offset = m.group(8) != null
          ? ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3))
          : zone.getRules().getOffset(local);
      return new DateTimeType(local.atOffset(offset).format(FHIR_DATE_TIME));
    } catch (DateTimeException | IllegalArgumentException e) {
      throw Hl7ConversionException.dataType(where.get(), value, "日期时间", "date/time (DTM)");
    }
  }

  /** TS/DTM → FHIR date (time part dropped), with the precision sent. */
  static DateType date(TS ts, Supplier<Location> where) throws Hl7ConversionException {
    String value = text(ts.getTs1_Time());
    if (value == null) {
      return null;
    }
    Matcher m = dtm(value, where);
    try {
      int year = Integer.parseInt(m.group(1));
      if (m.group(2) == null) {
        return new DateType(String.format("%04d", year));
      }
      int month = Integer.parseInt(m.group(2));
      if (m.group(3) == null) {
        LocalDate.of(year, month, 1);
        return new DateType(String.format("%04d-%02d", year, month));
      }
      return new DateType(LocalDate.of(year, month, Integer.parseInt(m.group(3))).toString());
    } catch (DateTimeException | IllegalArgumentException e) {
      throw Hl7ConversionException.dataType(where.get(), value, "日期", "date");
    }
  }

  private static Matcher dtm(String value, Supplier<Location> where) throws Hl7ConversionException {
    String candidate = ISO_LIKE.matcher(value).matches()
        ? value.replace("-", "").replace(":", "").replace(" ", "").replace("T", "")
        : value;
    Matcher m = DTM.matcher(candidate);
    if (!m.matches()) {
      throw Hl7ConversionException.dataType(where.get(), value, "日期时间", "date/time (DTM)");
    }
    return m;
  }

  /** A quantity with the unit as sent; system and code are UCUM when the unit is a known UCUM unit. */
  static Quantity quantity(BigDecimal value, Coded unit) {
    Quantity quantity = new Quantity();
    quantity.setValue(value);
    if (unit != null && !unit.isEmpty()) {
      String display = unit.text() != null ? unit.text() : unit.code();
      quantity.setUnit(display);
      String ucum = ucum(unit.code());
      if (ucum == null) {
        ucum = ucum(unit.text());
      }
      if (ucum != null) {
        quantity.setSystem(UCUM).setCode(ucum);
      }
    }
    return quantity;
  }

  /** UCUM code of a unit spelling, or null. Case matters only for the ones UCUM distinguishes. */
  static String ucum(String unit) {
    if (unit == null) {
      return null;
    }
    String direct = UCUM_UNITS.get(unit);
    return direct != null ? direct : UCUM_UNITS.get(unit.toLowerCase(Locale.ROOT));
  }

  /** Days as a FHIR Duration the way Lianyao writes days supply: {@code 28 天}, UCUM {@code d}. */
  static Duration days(BigDecimal days) {
    Duration duration = new Duration();
    duration.setValue(days).setUnit("天").setSystem(UCUM).setCode("d");
    return duration;
  }

  /** Display texts of repeating CE fields, joined with the Chinese semicolon; null when empty. */
  static String texts(CE[] values) {
    StringJoiner joiner = new StringJoiner("；");
    for (CE value : values) {
      String display = V2.Coded.of(value).display();
      if (display != null) {
        joiner.add(display);
      }
    }
    return joiner.length() == 0 ? null : joiner.toString();
  }

  /** NTE-3 comments of the order, then {@code extra} (special dispensing instructions), as note texts. */
  static List<String> notes(List<NTE> ntes, String extra) {
    List<String> texts = new ArrayList<>();
    for (NTE nte : ntes) {
      StringJoiner joiner = new StringJoiner("\n");
      for (FT comment : nte.getNte3_Comment()) {
        String text = V2.text(comment);
        if (text != null) {
          joiner.add(text);
        }
      }
      if (joiner.length() > 0) {
        texts.add(joiner.toString());
      }
    }
    if (extra != null) {
      texts.add(extra);
    }
    return texts;
  }
}
