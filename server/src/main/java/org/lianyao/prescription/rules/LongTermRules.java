package org.lianyao.prescription.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.lianyao.prescription.PrescriptionProperties;

/**
 * 长期处方 rules (长期处方管理规范（试行）国卫办医发〔2021〕17号): at most 12 weeks; over 4 weeks only with a
 * documented evaluation; no narcotic, psychotropic, toxic, radioactive or precursor drugs, no drugs
 * needing special storage, and no antimicrobials except for chronic infections such as tuberculosis.
 * The numbers and code lists come from {@link PrescriptionProperties.LongTerm}. Pure.
 */
public final class LongTermRules {

  private final PrescriptionProperties.LongTerm config;
  private final CodeLabels labels;

  public LongTermRules(PrescriptionProperties.LongTerm config, CodeLabels labels) {
    this.config = config;
    this.labels = labels;
  }

  public int maxDays() {
    return config.maxDays();
  }

  /**
   * @param daysSupply days supply, or {@code null} when missing (the profile requires it)
   * @param hasEvaluation a {@code long-term-prescription-evaluation} is recorded
   * @param categories all prescription-category codes of the prescription
   * @param controlClasses drug-control classes of its drug
   * @param diagnosisCodes ICD-10 codes of its diagnoses
   */
  public List<RuleViolation> check(Integer daysSupply, boolean hasEvaluation, Set<String> categories,
      Set<String> controlClasses, List<String> diagnosisCodes) {
    List<RuleViolation> violations = new ArrayList<>();
    if (daysSupply != null && daysSupply > config.maxDays()) {
      violations.add(new RuleViolation("long-term-max-days",
          "长期处方用药天数为 " + daysSupply + " 天，超过上限 " + config.maxDays() + " 天（12周）",
          "long-term prescription days supply " + daysSupply + " exceeds " + config.maxDays()));
    }
    if (daysSupply != null && daysSupply > config.evaluationRequiredAboveDays() && !hasEvaluation) {
      violations.add(new RuleViolation("long-term-evaluation-missing",
          "长期处方超过 " + config.evaluationRequiredAboveDays() + " 天（4周）须有医师评估记录（long-term-prescription-evaluation）",
          "a long-term prescription over " + config.evaluationRequiredAboveDays()
              + " days needs the long-term-prescription-evaluation extension"));
    }
    Set<String> categoryClash = new TreeSet<>(categories);
    categoryClash.retainAll(config.excludedCategories());
    if (!categoryClash.isEmpty()) {
      violations.add(new RuleViolation("long-term-category",
          labels.categories(categoryClash) + "处方不能开具为长期处方",
          "prescription categories " + categoryClash + " cannot be long-term"));
    }
    Set<String> excluded = excludedControlClasses(controlClasses, diagnosisCodes);
    if (!excluded.isEmpty()) {
      violations.add(new RuleViolation("long-term-drug-class",
          labels.controlClasses(excluded) + "不得开具长期处方",
          "drug-control classes " + excluded + " are excluded from long-term prescriptions"));
    }
    return violations;
  }

  /** The drug's control classes that bar a long-term prescription, after the antimicrobial exemption. */
  public Set<String> excludedControlClasses(Set<String> controlClasses, List<String> diagnosisCodes) {
    Set<String> excluded = new TreeSet<>(controlClasses);
    excluded.retainAll(config.excludedControlClasses());
    if (excluded.contains("antimicrobial") && exemptInfection(diagnosisCodes)) {
      excluded.remove("antimicrobial");
    }
    return excluded;
  }

  private boolean exemptInfection(List<String> diagnosisCodes) {
    for (String code : diagnosisCodes) {
      for (String prefix : config.antimicrobialExemptIcd10Prefixes()) {
        if (code != null && code.toUpperCase(java.util.Locale.ROOT).startsWith(prefix.toUpperCase(java.util.Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
