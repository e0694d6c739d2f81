package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lianyao.prescription.rules.CodeLabels;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.ExtensionRules;
import org.lianyao.prescription.rules.LongTermRules;
import org.lianyao.prescription.rules.PrescriptionFacts;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.prescription.rules.SupplyPeriod;

/** The pure prescription rules with the default parameters of {@link PrescriptionProperties}. */
class PrescriptionRulesTest {

  static final CodeLabels LABELS = CodeLabels.load();
  static final PrescriptionProperties.LongTerm LONG_TERM = new PrescriptionProperties.LongTerm(84, 28,
      List.of("narcotic", "psychotropic-1", "psychotropic-2", "toxic", "radioactive", "precursor", "antimicrobial",
          "special-storage"),
      List.of("narcotic", "psychotropic-1", "psychotropic-2", "emergency"), List.of("A15", "A16", "A17", "A18", "A19"));
  static final PrescriptionProperties.Extend EXTEND = new PrescriptionProperties.Extend(90, 3, 28,
      List.of("narcotic", "psychotropic-1", "psychotropic-2", "toxic", "radioactive", "precursor"),
      List.of("narcotic", "psychotropic-1", "psychotropic-2"), "YS");
  static final LongTermRules LONG_TERM_RULES = new LongTermRules(LONG_TERM, LABELS);
  static final ExtensionRules RULES = new ExtensionRules(EXTEND, LONG_TERM_RULES, LABELS);

  static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
  static final DrugFacts AMLODIPINE = new DrugFacts("12", "苯磺酸氨氯地平片", "苯磺酸氨氯地平片 5mg", Set.of(), Set.of(), false);

  static PrescriptionFacts original(String status, LocalDate written, int days, DrugFacts drug, Set<String> categories) {
    return new PrescriptionFacts(status, categories, written, new SupplyPeriod(written, days), drug, true, List.of("I10.x00"));
  }

  static List<String> codes(List<RuleViolation> v) {
    return v.stream().map(RuleViolation::code).toList();
  }

  // ---------------------------------------------------------------------------- supply period

  @Test
  void daysRemainingCountsToday() {
    SupplyPeriod p = new SupplyPeriod(LocalDate.of(2026, 11, 1), 28);
    assertThat(p.daysRemaining(LocalDate.of(2026, 11, 1))).isEqualTo(28);
    assertThat(p.daysRemaining(LocalDate.of(2026, 11, 23))).isEqualTo(6);
    assertThat(p.daysRemaining(LocalDate.of(2026, 11, 28))).isEqualTo(1);
    assertThat(p.daysRemaining(LocalDate.of(2026, 11, 29))).isZero();
    assertThat(p.daysRemaining(LocalDate.of(2027, 1, 1))).isZero();
    assertThat(p.daysRemaining(LocalDate.of(2026, 10, 1))).as("not started yet").isEqualTo(28);
    assertThat(p.end()).isEqualTo(LocalDate.of(2026, 11, 29));
  }

  @Test
  void windowEndsGraceDaysAfterTheSupply() {
    SupplyPeriod p = new SupplyPeriod(LocalDate.of(2026, 11, 1), 28);
    assertThat(p.withinWindow(LocalDate.of(2026, 12, 2), 3)).isTrue();
    assertThat(p.withinWindow(LocalDate.of(2026, 12, 3), 3)).isFalse();
    assertThatThrownBy(() -> new SupplyPeriod(LocalDate.of(2026, 1, 1), -1)).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------------------- extension

  @Test
  void aRecentActiveForeignPrescriptionMayBeExtended() {
    PrescriptionFacts rx = original("active", TODAY.minusDays(20), 28, AMLODIPINE, Set.of("ordinary"));
    assertThat(RULES.checkOriginal(rx, TODAY, false)).isEmpty();
    assertThat(RULES.checkDays(28, false, false)).isEmpty();
    assertThat(RULES.maxDays(false)).isEqualTo(28);
    assertThat(RULES.maxDays(true)).isEqualTo(84);
  }

  @Test
  void inactiveOwnOrExpiredPrescriptionsAreRefusedWithChineseReasons() {
    PrescriptionFacts cancelled = original("cancelled", TODAY.minusDays(5), 28, AMLODIPINE, Set.of("ordinary"));
    List<RuleViolation> v = RULES.checkOriginal(cancelled, TODAY, false);
    assertThat(codes(v)).containsExactly("original-not-active");
    assertThat(v.get(0).chinese()).contains("已作废");

    PrescriptionFacts own = new PrescriptionFacts("active", Set.of(), TODAY, new SupplyPeriod(TODAY, 7), AMLODIPINE,
        false, List.of());
    assertThat(codes(RULES.checkOriginal(own, TODAY, false))).containsExactly("original-own-institution");

    // Supply ended 4 days ago: beyond the 3-day window.
    PrescriptionFacts ended = original("active", TODAY.minusDays(32), 28, AMLODIPINE, Set.of());
    assertThat(codes(RULES.checkOriginal(ended, TODAY, false))).containsExactly("original-supply-ended");
    // Ended 3 days ago: still inside.
    PrescriptionFacts justInside = original("active", TODAY.minusDays(31), 28, AMLODIPINE, Set.of());
    assertThat(RULES.checkOriginal(justInside, TODAY, false)).isEmpty();

    PrescriptionFacts old = original("active", TODAY.minusDays(91), 120, AMLODIPINE, Set.of());
    assertThat(codes(RULES.checkOriginal(old, TODAY, false))).containsExactly("original-too-old");

    PrescriptionFacts unknown = new PrescriptionFacts("active", Set.of(), null, null, AMLODIPINE, true, List.of());
    assertThat(codes(RULES.checkOriginal(unknown, TODAY, false))).containsExactly("original-supply-unknown");
  }

  @Test
  void controlledDrugsAndCategoriesAreNeverExtended() {
    DrugFacts morphine = new DrugFacts("9", "盐酸吗啡缓释片", null, Set.of(), Set.of("narcotic"), true);
    List<RuleViolation> v = RULES.checkOriginal(original("active", TODAY.minusDays(1), 7, morphine, Set.of("narcotic")),
        TODAY, false);
    assertThat(codes(v)).containsExactly("drug-class-not-extendable", "category-not-extendable");
    assertThat(v.get(0).chinese()).contains("麻醉药品").contains("不得开具延伸处方");

    DrugFacts amoxicillin = new DrugFacts("8", "阿莫西林胶囊", null, Set.of(), Set.of("antimicrobial"), true);
    PrescriptionFacts rx = original("active", TODAY.minusDays(2), 7, amoxicillin, Set.of("ordinary"));
    assertThat(RULES.checkOriginal(rx, TODAY, false)).as("antimicrobials may be extended short-term").isEmpty();
    List<RuleViolation> longTerm = RULES.checkOriginal(rx, TODAY, true);
    assertThat(codes(longTerm)).containsExactly("long-term-drug-class");
    assertThat(longTerm.get(0).chinese()).contains("抗菌药物");
  }

  @Test
  void daysSupplyLimits() {
    assertThat(codes(RULES.checkDays(29, false, false))).containsExactly("extension-max-days");
    assertThat(codes(RULES.checkDays(0, false, false))).containsExactly("days-invalid");
    assertThat(RULES.checkDays(28, true, false)).isEmpty();
    assertThat(codes(RULES.checkDays(56, true, false))).containsExactly("long-term-evaluation-missing");
    assertThat(RULES.checkDays(56, true, true)).isEmpty();
    assertThat(RULES.checkDays(84, true, true)).isEmpty();
    assertThat(codes(RULES.checkDays(85, true, true))).containsExactly("long-term-max-days");
  }

  // ------------------------------------------------------------------------------- long-term

  @Test
  void longTermRulesOfTheNationalSpecification() {
    assertThat(LONG_TERM_RULES.check(84, true, Set.of("long-term"), Set.of(), List.of())).isEmpty();
    List<RuleViolation> v = LONG_TERM_RULES.check(90, false, Set.of("long-term", "emergency"),
        Set.of("psychotropic-2", "special-storage"), List.of());
    assertThat(codes(v)).containsExactly("long-term-max-days", "long-term-evaluation-missing", "long-term-category",
        "long-term-drug-class");
    assertThat(v.get(0).chinese()).contains("84");
    assertThat(v.get(3).chinese()).contains("第二类精神药品").contains("需特殊储存");
  }

  @Test
  void antimicrobialsOnlyForChronicInfectionsLikeTuberculosis() {
    assertThat(codes(LONG_TERM_RULES.check(28, false, Set.of("long-term"), Set.of("antimicrobial"), List.of("J44.900"))))
        .containsExactly("long-term-drug-class");
    assertThat(LONG_TERM_RULES.check(28, false, Set.of("long-term"), Set.of("antimicrobial"), List.of("a15.000")))
        .isEmpty();
  }

  // -------------------------------------------------------------------------------- quantity

  @Test
  void quantityScalesToTheNewDaysSupplyInWholePacks() {
    org.hl7.fhir.r4.model.MedicationRequest mr = new org.hl7.fhir.r4.model.MedicationRequest();
    mr.getDispenseRequest().setQuantity(new org.hl7.fhir.r4.model.Quantity().setValue(2).setUnit("盒"));
    List<RuleViolation> v = new java.util.ArrayList<>();
    assertThat(ExtensionService.quantity(null, mr, 56, 28, v).getValue()).isEqualByComparingTo("1");
    assertThat(ExtensionService.quantity(null, mr, 56, 30, v).getValue()).isEqualByComparingTo("2");
    assertThat(ExtensionService.quantity(null, mr, 56, 56, v).getUnit()).isEqualTo("盒");
    assertThat(ExtensionService.quantity(new org.hl7.fhir.r4.model.Quantity().setValue(5), mr, 56, 28, v).getValue())
        .isEqualByComparingTo("5");
    assertThat(v).isEmpty();
    ExtensionService.quantity(null, new org.hl7.fhir.r4.model.MedicationRequest(), 28, 28, v);
    assertThat(codes(v)).containsExactly("quantity-required");
  }
}
