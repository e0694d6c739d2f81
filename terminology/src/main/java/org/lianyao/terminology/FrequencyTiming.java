package org.lianyao.terminology;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Timing.EventTiming;
import org.hl7.fhir.r4.model.Timing.TimingRepeatComponent;
import org.hl7.fhir.r4.model.Timing.UnitsOfTime;

/**
 * The FHIR Timing meaning of one frequency code (national CV06.00.228 or his-frequency), read from
 * the code's concept properties. {@code null} components are absent in the code table.
 *
 * @param system code system URL
 * @param code the code as defined in the code system
 * @param display Chinese display
 * @param frequency Timing.repeat.frequency
 * @param period Timing.repeat.period
 * @param periodUnit Timing.repeat.periodUnit (UCUM s|min|h|d|wk|mo|a)
 * @param when Timing.repeat.when (EventTiming code such as HS)
 * @param count Timing.repeat.count (st / once = 1)
 * @param asNeeded true for prn: Dosage.asNeededBoolean, no fixed Timing
 */
public record FrequencyTiming(
    String system, String code, String display, Integer frequency, BigDecimal period,
    String periodUnit, String when, Integer count, boolean asNeeded) {

  /**
   * Period units per day as an exact fraction {units, days}, so that q8h gives exactly 3 (24 / 8)
   * instead of a rounded 1/24 times 8. Month and year are calendar-variable; 30 and 365 days are the
   * usual days-supply convention and only matter for codes Lianyao does not define today.
   */
  private static final Map<String, long[]> UNITS_PER_DAYS = Map.of(
      "s", new long[] {86_400, 1},
      "min", new long[] {1_440, 1},
      "h", new long[] {24, 1},
      "d", new long[] {1, 1},
      "wk", new long[] {1, 7},
      "mo", new long[] {1, 30},
      "a", new long[] {1, 365});

  /** True when the code defines a repeating rate (frequency per period). */
  public boolean isRepeating() {
    return frequency != null && period != null && periodUnit != null;
  }

  /**
   * Administrations per day, e.g. bid → 2, q8h → 3, qod → 0.5, biw → 0.2857…; empty for st/once,
   * prn and 99 其他, whose amount per day is not defined by the code. Rounded to 16 significant
   * digits; round further only at presentation.
   */
  public Optional<BigDecimal> dosesPerDay() {
    if (!isRepeating()) {
      return Optional.empty();
    }
    long[] fraction = UNITS_PER_DAYS.get(periodUnit);
    if (fraction == null || period.signum() <= 0) {
      return Optional.empty();
    }
    // frequency per period × (units per day) = frequency × units / (period × days)
    BigDecimal numerator = BigDecimal.valueOf((long) frequency * fraction[0]);
    BigDecimal denominator = period.multiply(BigDecimal.valueOf(fraction[1]));
    return Optional.of(numerator.divide(denominator, MathContext.DECIMAL64).stripTrailingZeros());
  }

  /**
   * A Timing for Dosage.timing: {@code code} carries this frequency code, {@code repeat} its
   * meaning. prn gives a Timing with only the code; set Dosage.asNeededBoolean as well.
   */
  public Timing toTiming() {
    Timing timing = new Timing();
    timing.setCode(new CodeableConcept(new Coding(system, code, display)));
    TimingRepeatComponent repeat = new TimingRepeatComponent();
    if (frequency != null) {
      repeat.setFrequency(frequency);
    }
    if (period != null) {
      repeat.setPeriod(period);
    }
    if (periodUnit != null) {
      repeat.setPeriodUnit(UnitsOfTime.fromCode(periodUnit));
    }
    if (when != null) {
      repeat.addWhen(EventTiming.fromCode(when));
    }
    if (count != null) {
      repeat.setCount(count);
    }
    if (!repeat.isEmpty()) {
      timing.setRepeat(repeat);
    }
    return timing;
  }
}
