package org.lianyao.formulary.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;

/**
 * Counts of a formulary version in the shape of the Yubei report ("100 product-specs, 66 VBP, 63
 * essential medicines, 35 insurance class A"): listed items, then per dimension — 集采 (and per
 * batch), 基药, 医保类别, 慢病病种, 衔接药品, 一品两规豁免, and the change types of the yearly
 * adjustment. Removal records (调出) are not listed items; they are counted under their change type.
 * Pure.
 */
public final class FormularyStatistics {

  /** Dimension codes of {@link Count#dimension()}. */
  public static final String VBP = "vbp";
  public static final String VBP_BATCH = "vbp-batch";
  public static final String ESSENTIAL_MEDICINE = "essential-medicine";
  public static final String INSURANCE_CLASS = "insurance-class";
  public static final String CHRONIC_DISEASE_GROUP = "chronic-disease-group";
  public static final String LINKAGE_DRUG = "linkage-drug";
  public static final String TWO_SPEC_EXEMPT = "two-spec-exempt";
  public static final String CHANGE_TYPE = "change-type";

  /** Insurance-class code of items the catalog left without a class. */
  public static final String NONE = "none";

  /**
   * One count.
   *
   * @param dimension what is counted ({@link #VBP}, {@link #INSURANCE_CLASS}, …)
   * @param dimensionLabel its Chinese name
   * @param code the category ({@code true}, {@code A}, {@code hypertension}, a batch name, …)
   * @param display the category's Chinese name
   * @param count items in the category
   * @param percent count / listed items, in percent, one decimal
   */
  public record Count(String dimension, String dimensionLabel, String code, String display, int count,
      BigDecimal percent) {}

  /**
   * @param total listed items (品规数)
   * @param removalRecords removal records (调出) the version carries
   */
  public record Result(FormularyVersion version, int total, int removalRecords, List<Count> counts) {

    public int count(String dimension, String code) {
      return counts.stream().filter(c -> c.dimension().equals(dimension) && c.code().equals(code))
          .mapToInt(Count::count).findFirst().orElse(0);
    }
  }

  private FormularyStatistics() {}

  public static Result compute(FormularyVersion version, Collection<FormularyEntry> items, Labels labels) {
    List<FormularyEntry> listed = items.stream().filter(FormularyEntry::active).toList();
    int total = listed.size();
    int removals = (int) items.stream().filter(i -> !i.active()).count();
    List<Count> counts = new ArrayList<>();

    counts.add(count(VBP, "集采", "true", "集采药品", listed, i -> Boolean.TRUE.equals(i.vbp()), total));
    Map<String, Integer> batches = new TreeMap<>();
    for (FormularyEntry i : listed) {
      if (Boolean.TRUE.equals(i.vbp()) && !i.vbpBatch().isEmpty()) {
        batches.merge(i.vbpBatch(), 1, Integer::sum);
      }
    }
    batches.forEach((batch, n) -> counts.add(new Count(VBP_BATCH, "集采批次", batch, batch, n, percent(n, total))));
    counts.add(count(ESSENTIAL_MEDICINE, "基药", "true", "国家基本药物", listed,
        i -> Boolean.TRUE.equals(i.essentialMedicine()), total));

    Map<String, Integer> classes = new TreeMap<>();
    for (FormularyEntry i : listed) {
      classes.merge(i.insuranceClass() == null ? NONE : i.insuranceClass(), 1, Integer::sum);
    }
    classes.forEach((code, n) -> counts.add(new Count(INSURANCE_CLASS, "医保类别", code,
        NONE.equals(code) ? "未标注" : labels.insuranceClass(code), n, percent(n, total))));

    Map<String, Integer> groups = new TreeMap<>();
    for (FormularyEntry i : listed) {
      for (String g : i.chronicDiseaseGroups().stream().distinct().toList()) {
        groups.merge(g, 1, Integer::sum);
      }
    }
    groups.forEach((code, n) -> counts.add(new Count(CHRONIC_DISEASE_GROUP, "慢病病种", code,
        labels.chronicDiseaseGroup(code), n, percent(n, total))));

    counts.add(count(LINKAGE_DRUG, "衔接药品", "true", "上下衔接药品", listed, i -> Boolean.TRUE.equals(i.linkageDrug()), total));
    counts.add(count(TWO_SPEC_EXEMPT, "一品两规豁免", "true", "不受一品两规限制", listed,
        i -> Boolean.TRUE.equals(i.twoSpecExempt()), total));

    Map<String, Integer> changes = new TreeMap<>();
    for (FormularyEntry i : items) {
      if (i.changeType() != null) {
        changes.merge(i.changeType(), 1, Integer::sum);
      }
    }
    changes.forEach((code, n) -> counts.add(new Count(CHANGE_TYPE, "目录调整", code, changeDisplay(code), n,
        percent(n, total))));
    return new Result(version, total, removals, List.copyOf(counts));
  }

  public static String changeDisplay(String code) {
    return switch (code) {
      case "introduce" -> "引进";
      case "remove" -> "调出";
      case "change" -> "变更";
      default -> code;
    };
  }

  private static Count count(String dimension, String dimensionLabel, String code, String display,
      List<FormularyEntry> listed, Predicate<FormularyEntry> in, int total) {
    int n = (int) listed.stream().filter(in).count();
    return new Count(dimension, dimensionLabel, code, display, n, percent(n, total));
  }

  static BigDecimal percent(int n, int total) {
    return total == 0 ? BigDecimal.ZERO.setScale(1)
        : BigDecimal.valueOf(n).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP);
  }
}
