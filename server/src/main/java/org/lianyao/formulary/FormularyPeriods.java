package org.lianyao.formulary;

import java.time.ZonedDateTime;
import java.util.Optional;
import org.hl7.fhir.r4.model.Period;

/**
 * 目录调整周期不超过一年 (国卫药政发〔2024〕38号): a consortium version's period must have a start and an
 * end at most one year later, the same bound as the profile's invariant {@code lianyao-fm-3}
 * ({@code end <= start + 1 year}). Pure.
 */
public final class FormularyPeriods {

  /** A broken period rule: Chinese message and English diagnostic. */
  public record Violation(String chinese, String english) {}

  private FormularyPeriods() {}

  public static Optional<Violation> check(FormularyKind kind, Period period) {
    boolean hasStart = period != null && period.hasStart();
    boolean hasEnd = period != null && period.hasEnd();
    if (kind == FormularyKind.CONSORTIUM && (!hasStart || !hasEnd)) {
      return Optional.of(new Violation(
          "医联体目录版本须填写有效期的开始和结束日期（period.start、period.end），且不超过一年",
          "a consortium formulary version needs period.start and period.end, at most one year apart"));
    }
    if (!hasStart || !hasEnd) {
      return Optional.empty();
    }
    ZonedDateTime start = ZonedDateTime.ofInstant(period.getStart().toInstant(), FormularyVersion.CHINA);
    ZonedDateTime end = ZonedDateTime.ofInstant(period.getEnd().toInstant(), FormularyVersion.CHINA);
    String range = period.getStartElement().getValueAsString() + " 至 " + period.getEndElement().getValueAsString();
    if (end.isBefore(start)) {
      return Optional.of(new Violation("目录有效期的结束日期早于开始日期：" + range,
          "period.end is before period.start: " + range.replace(" 至 ", " .. ")));
    }
    if (end.isAfter(start.plusYears(1))) {
      return Optional.of(new Violation(
          "目录有效期不得超过一年（国卫药政发〔2024〕38号：目录调整周期原则上不超过1年），当前为 " + range,
          "a formulary period is at most one year (end <= start + 1 year): " + range.replace(" 至 ", " .. ")));
    }
    return Optional.empty();
  }
}
