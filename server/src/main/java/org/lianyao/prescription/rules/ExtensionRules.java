package org.lianyao.prescription.rules;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lianyao.prescription.PrescriptionProperties;

/**
 * May a prescription of another institution be continued as a 延伸处方 at the caller's institution?
 * The checks of issue #7 item 5, with their numbers from {@link PrescriptionProperties.Extend}:
 * the original is active and recent enough (written at most {@code maxOriginalAgeDays} ago and its
 * supply not run out for more than {@code graceDays}, 处方管理办法), its drug class and category may
 * be extended, and the days supply is within the limit (ordinary 4 weeks; long-term 12 weeks with
 * the documented evaluation over 4 weeks, {@link LongTermRules}). Whether the caller stocks the
 * drug is decided elsewhere (formulary). Pure.
 */
public final class ExtensionRules {

  private static final Map<String, String> STATUS = Map.of(
      "active", "有效", "on-hold", "暂停", "cancelled", "已作废", "completed", "已完成",
      "entered-in-error", "录入错误", "stopped", "已停止", "draft", "草稿", "unknown", "未知");

  private final PrescriptionProperties.Extend config;
  private final LongTermRules longTerm;
  private final CodeLabels labels;

  public ExtensionRules(PrescriptionProperties.Extend config, LongTermRules longTerm, CodeLabels labels) {
    this.config = config;
    this.longTerm = longTerm;
    this.labels = labels;
  }

  /** Longest days supply of an extension: ordinary or long-term. */
  public int maxDays(boolean longTermPrescription) {
    return longTermPrescription ? longTerm.maxDays() : config.maxDays();
  }

  /**
   * The reasons why {@code original} may not be extended on {@code today}; empty when it may.
   *
   * @param asLongTerm the extension would be a long-term prescription (antimicrobials excluded)
   */
  public List<RuleViolation> checkOriginal(PrescriptionFacts original, LocalDate today, boolean asLongTerm) {
    List<RuleViolation> violations = new ArrayList<>();
    if (!"active".equals(original.status())) {
      violations.add(new RuleViolation("original-not-active",
          "原处方状态为「" + STATUS.getOrDefault(original.status(), original.status()) + "」，只能延伸有效处方",
          "the original prescription is " + original.status() + ", only active prescriptions can be extended"));
    }
    if (!original.foreign()) {
      violations.add(new RuleViolation("original-own-institution",
          "本机构开具的处方无需延伸，请直接续方",
          "the original prescription is the caller's own; renew it instead of extending it"));
    }
    if (original.authoredOn() != null
        && ChronoUnit.DAYS.between(original.authoredOn(), today) > config.maxOriginalAgeDays()) {
      violations.add(new RuleViolation("original-too-old",
          "原处方开具于 " + original.authoredOn() + "，已超过 " + config.maxOriginalAgeDays() + " 天，不能延伸",
          "the original was written on " + original.authoredOn() + ", more than "
              + config.maxOriginalAgeDays() + " days ago"));
    }
    SupplyPeriod supply = original.supply();
    if (supply == null) {
      violations.add(new RuleViolation("original-supply-unknown",
          "原处方缺少开具日期或用药天数，无法判断是否仍在用药期内",
          "the original has no authoredOn or days supply: its supply period is unknown"));
    } else if (!supply.withinWindow(today, config.graceDays())) {
      violations.add(new RuleViolation("original-supply-ended",
          "原处方的用药期已于 " + supply.end() + " 结束，超过 " + config.graceDays() + " 天的延伸期限",
          "the original's supply ended on " + supply.end() + ", more than " + config.graceDays()
              + " days ago"));
    }
    Set<String> classes = new TreeSet<>(original.drug().controlClasses());
    classes.retainAll(config.excludedControlClasses());
    if (!classes.isEmpty()) {
      violations.add(new RuleViolation("drug-class-not-extendable",
          labels.controlClasses(classes) + "不得开具延伸处方",
          "drug-control classes " + classes + " may not be extended"));
    }
    Set<String> categories = new TreeSet<>(original.categories());
    categories.retainAll(config.excludedCategories());
    if (!categories.isEmpty()) {
      violations.add(new RuleViolation("category-not-extendable",
          labels.categories(categories) + "处方不得延伸",
          "prescription categories " + categories + " may not be extended"));
    }
    if (asLongTerm) {
      Set<String> excluded = longTerm.excludedControlClasses(original.drug().controlClasses(), original.diagnosisCodes());
      excluded.removeAll(classes);
      if (!excluded.isEmpty()) {
        violations.add(new RuleViolation("long-term-drug-class",
            labels.controlClasses(excluded) + "不得开具长期处方",
            "drug-control classes " + excluded + " are excluded from long-term prescriptions"));
      }
    }
    return violations;
  }

  /**
   * Days-supply limits of the new prescription.
   *
   * @param hasEvaluation a long-term evaluation is given
   */
  public List<RuleViolation> checkDays(int days, boolean asLongTerm, boolean hasEvaluation) {
    List<RuleViolation> violations = new ArrayList<>();
    if (days <= 0) {
      violations.add(new RuleViolation("days-invalid", "用药天数须大于 0", "days supply must be positive"));
      return violations;
    }
    if (!asLongTerm && days > config.maxDays()) {
      violations.add(new RuleViolation("extension-max-days",
          "延伸处方用药天数为 " + days + " 天，超过上限 " + config.maxDays() + " 天（4周）；病情稳定的慢病患者可按长期处方申请"
              + "（longTerm=true，最长 " + longTerm.maxDays() + " 天，超过 " + config.maxDays() + " 天须附评估意见）",
          "days supply " + days + " exceeds the extension limit " + config.maxDays()
              + "; ask for a long-term prescription (longTerm=true) with an evaluation"));
    }
    if (asLongTerm) {
      for (RuleViolation v : longTerm.check(days, hasEvaluation, Set.of(), Set.of(), List.of())) {
        violations.add(v);
      }
    }
    return violations;
  }
}
