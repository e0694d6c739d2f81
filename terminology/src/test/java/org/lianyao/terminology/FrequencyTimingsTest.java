package org.lianyao.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.math.MathContext;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Timing.EventTiming;
import org.hl7.fhir.r4.model.Timing.UnitsOfTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrequencyTimingsTest {

  private static TerminologyResources resources;
  private static FrequencyTimings timings;

  @BeforeAll
  static void load() {
    resources = new TerminologyResources(FhirContext.forR4Cached());
    timings = new FrequencyTimings(resources);
  }

  @ParameterizedTest
  @CsvSource({
      "1, 2", // bid
      "3, 1", // hs
      "4, 2", // q12h
      "5, 24", // q1h
      "6, 8", // q3h
      "7, 4", // q6h
      "8, 3", // q8h: exactly 3, not 2.999…
      "9, 1", // qd
      "10, 4", // qid
      "11, 0.5", // qod
  })
  void nationalDosesPerDay(String code, String expected) {
    assertThat(timings.dosesPerDay(CodeSystems.FREQUENCY, code)).hasValueSatisfying(
        d -> assertThat(d).isEqualByComparingTo(expected));
  }

  @Test
  void weeklyFrequenciesAreFractionsOfADay() {
    BigDecimal biw = timings.dosesPerDay(CodeSystems.FREQUENCY, "2").orElseThrow();
    assertThat(biw).isEqualByComparingTo(BigDecimal.valueOf(2).divide(BigDecimal.valueOf(7), MathContext.DECIMAL64));
    assertThat(biw.multiply(BigDecimal.valueOf(7)).setScale(6, java.math.RoundingMode.HALF_EVEN))
        .isEqualByComparingTo("2");
    BigDecimal qw = timings.dosesPerDay(CodeSystems.FREQUENCY, "12").orElseThrow();
    assertThat(qw).isEqualByComparingTo(BigDecimal.ONE.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64));
  }

  @Test
  void statAndOtherHaveNoDailyRate() {
    FrequencyTiming st = timings.lookup(CodeSystems.FREQUENCY, "13").orElseThrow();
    assertThat(st.count()).isEqualTo(1);
    assertThat(st.isRepeating()).isFalse();
    assertThat(st.dosesPerDay()).isEmpty();
    FrequencyTiming other = timings.lookup(CodeSystems.FREQUENCY, "99").orElseThrow();
    assertThat(other.dosesPerDay()).isEmpty();
    assertThat(other.toTiming().hasRepeat()).isFalse();
  }

  @Test
  void hisAbbreviationsIncludingThoseWithoutANationalCode() {
    assertThat(timings.dosesPerDay(CodeSystems.HIS_FREQUENCY, "tid")).hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("3"));
    assertThat(timings.dosesPerDay(CodeSystems.HIS_FREQUENCY, "TID")).as("case-insensitive").hasValueSatisfying(
        d -> assertThat(d).isEqualByComparingTo("3"));
    assertThat(timings.dosesPerDay(CodeSystems.HIS_FREQUENCY, " q4h ")).hasValueSatisfying(
        d -> assertThat(d).isEqualByComparingTo("6"));
    assertThat(timings.dosesPerDay(CodeSystems.HIS_FREQUENCY, "tiw")).hasValueSatisfying(
        d -> assertThat(d.multiply(BigDecimal.valueOf(7)).setScale(6, java.math.RoundingMode.HALF_EVEN)).isEqualByComparingTo("3"));
    FrequencyTiming prn = timings.lookup(CodeSystems.HIS_FREQUENCY, "PRN").orElseThrow();
    assertThat(prn.code()).isEqualTo("prn");
    assertThat(prn.asNeeded()).isTrue();
    assertThat(prn.dosesPerDay()).isEmpty();
  }

  @Test
  void buildsFhirTiming() {
    Timing bid = timings.lookup(CodeSystems.FREQUENCY, "1").orElseThrow().toTiming();
    assertThat(bid.getCode().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.FREQUENCY);
    assertThat(bid.getCode().getCodingFirstRep().getCode()).isEqualTo("1");
    assertThat(bid.getCode().getCodingFirstRep().getDisplay()).isEqualTo("每日两次（bid）");
    assertThat(bid.getRepeat().getFrequency()).isEqualTo(2);
    assertThat(bid.getRepeat().getPeriod()).isEqualByComparingTo("1");
    assertThat(bid.getRepeat().getPeriodUnit()).isEqualTo(UnitsOfTime.D);

    Timing hs = timings.lookup(CodeSystems.FREQUENCY, "3").orElseThrow().toTiming();
    assertThat(hs.getRepeat().getWhen()).extracting(e -> e.getValue()).containsExactly(EventTiming.HS);

    Timing qn = timings.lookup(CodeSystems.HIS_FREQUENCY, "qn").orElseThrow().toTiming();
    assertThat(qn.getRepeat().getWhen()).extracting(e -> e.getValue()).containsExactly(EventTiming.NIGHT);

    Timing st = timings.lookup(CodeSystems.FREQUENCY, "13").orElseThrow().toTiming();
    assertThat(st.getRepeat().getCount()).isEqualTo(1);
    assertThat(st.getRepeat().hasFrequency()).isFalse();
  }

  @Test
  void everyFrequencyCodeResolves() {
    for (String system : new String[] {CodeSystems.FREQUENCY, CodeSystems.HIS_FREQUENCY}) {
      for (ConceptDefinitionComponent concept : resources.concepts(system)) {
        FrequencyTiming timing = timings.lookup(system, concept.getCode()).orElseThrow();
        boolean noTiming = concept.getCode().equals("99") || concept.getCode().equals("prn");
        assertThat(timing.isRepeating() || timing.count() != null || noTiming).as(system + "#" + concept.getCode()).isTrue();
        assertThat(timing.isRepeating()).isEqualTo(timing.dosesPerDay().isPresent());
      }
    }
  }

  @Test
  void nationalAndHisMeaningsAgreeWhereMappedAsEquivalent() {
    // A map entry marked equivalent must not change the dose arithmetic.
    var map = resources.conceptMap(CodeSystems.CONCEPT_MAP_FREQUENCY_TO_NATIONAL).orElseThrow();
    for (var element : map.getGroupFirstRep().getElement()) {
      var target = element.getTargetFirstRep();
      if (target.getEquivalence() == org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence.EQUIVALENT) {
        FrequencyTiming his = timings.lookup(CodeSystems.HIS_FREQUENCY, element.getCode()).orElseThrow();
        FrequencyTiming nat = timings.lookup(CodeSystems.FREQUENCY, target.getCode()).orElseThrow();
        assertThat(his.dosesPerDay().map(BigDecimal::stripTrailingZeros))
            .as(element.getCode()).isEqualTo(nat.dosesPerDay().map(BigDecimal::stripTrailingZeros));
        assertThat(his.when()).as(element.getCode()).isEqualTo(nat.when());
        assertThat(his.count()).as(element.getCode()).isEqualTo(nat.count());
      }
    }
  }

  @Test
  void unknownCodesAndSystems() {
    assertThat(timings.lookup(CodeSystems.FREQUENCY, "tid")).isEmpty();
    assertThat(timings.lookup(CodeSystems.ROUTE, "1")).isEmpty();
    assertThat(timings.lookup(CodeSystems.HIS_FREQUENCY, null)).isEmpty();
  }
}
