package org.lianyao.formulary;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

class FormularyPeriodsTest {

  private static Period period(String start, String end) {
    Period p = new Period();
    if (start != null) {
      p.setStartElement(new DateTimeType(start));
    }
    if (end != null) {
      p.setEndElement(new DateTimeType(end));
    }
    return p;
  }

  @Test
  void aYearIsAllowedAndADayMoreIsNot() {
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-01-01", "2025-12-31"))).isEmpty();
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-04-01", "2026-04-01"))).isEmpty();
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-04-01", "2026-04-02")))
        .hasValueSatisfying(v -> {
          assertThat(v.chinese()).contains("不得超过一年", "2025-04-01 至 2026-04-02");
          assertThat(v.english()).contains("at most one year");
        });
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-01-01T00:00:00+08:00", "2026-01-01T00:00:01+08:00")))
        .isPresent();
  }

  @Test
  void consortiumVersionsNeedBothEndsMembersDoNot() {
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-01-01", null))).isPresent();
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, null)).isPresent();
    assertThat(FormularyPeriods.check(FormularyKind.MEMBER, period("2025-01-01", null))).isEmpty();
    assertThat(FormularyPeriods.check(FormularyKind.MEMBER, period("2025-01-01", "2027-01-01"))).isPresent();
  }

  @Test
  void endBeforeStart() {
    assertThat(FormularyPeriods.check(FormularyKind.CONSORTIUM, period("2025-12-31", "2025-01-01")))
        .hasValueSatisfying(v -> assertThat(v.chinese()).contains("早于"));
  }

  @Test
  void nextVersionIdentifierAndName() {
    assertThat(FormularyVersionService.nextYear("YGT-2025")).isEqualTo("YGT-2026");
    assertThat(FormularyVersionService.nextYear("H50011200003-2025")).isEqualTo("H50011200003-2026");
    assertThat(FormularyVersionService.nextYear("CATALOG")).isNull();
    assertThat(FormularyVersionService.bumpYears("示例区医共体慢病用药衔接目录（2025年版）", 1))
        .isEqualTo("示例区医共体慢病用药衔接目录（2026年版）");
  }
}
