package org.lianyao.formulary.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.Product;

/**
 * What changed between two formulary versions (usually last year's and this year's consortium
 * catalog): items introduced (引进), removed (调出) and changed (变更, with the fields that changed).
 *
 * <p>Removal records (items with change type {@code remove}) are not listed in their version. Items
 * are paired, in this order, by: the same Medication; the same 医保药品编码; the same
 * 通用名 + 剂型 + 规格 + 生产企业 (a new package); and finally the same 通用名 + 剂型 + 规格 when exactly
 * one such item is left on each side — a product-spec whose manufacturer changed, as when a VBP
 * winner replaces the originator (集采中选品种替代). Unpaired items of the newer version are
 * introduced, of the older version removed. Pure.
 */
public final class FormularyDiff {

  /** A compared field: code for machines, Chinese label for people. */
  public enum Field {
    MANUFACTURER("manufacturer", "生产企业"),
    PACKAGE("package", "包装"),
    STRENGTH("strength", "规格"),
    DOSAGE_FORM("dosage-form", "剂型"),
    NHSA_DRUG_CODE("nhsa-drug-code", "医保药品编码"),
    VBP("vbp", "集采"),
    VBP_BATCH("vbp-batch", "集采批次"),
    ESSENTIAL_MEDICINE("essential-medicine", "基药"),
    INSURANCE_CLASS("insurance-class", "医保类别"),
    CHRONIC_DISEASE_GROUP("chronic-disease-group", "慢病病种"),
    TWO_SPEC_EXEMPT("two-spec-exempt", "一品两规豁免"),
    LINKAGE_DRUG("linkage-drug", "衔接药品");

    private final String code;
    private final String label;

    Field(String code, String label) {
      this.code = code;
      this.label = label;
    }

    public String code() {
      return code;
    }

    public String label() {
      return label;
    }
  }

  /** One changed field: its value in the older and in the newer version, as people read them. */
  public record FieldChange(Field field, String from, String to) {}

  public record ItemChange(FormularyEntry from, FormularyEntry to, List<FieldChange> changes) {}

  /**
   * @param removalRecords the newer version's removal records (调出, with their reasons); the removed
   *     items they document are in {@code removed}
   */
  public record Result(FormularyVersion from, FormularyVersion to, List<FormularyEntry> introduced,
      List<FormularyEntry> removed, List<ItemChange> changed, int unchanged, List<FormularyEntry> removalRecords) {

    /** The newer version's removal record (调出) for a removed item, if it has one. */
    public java.util.Optional<FormularyEntry> removalRecordOf(FormularyEntry removed) {
      return removalRecords.stream().filter(r -> r.medicationId() != null && r.medicationId().equals(removed.medicationId()))
          .findFirst();
    }
  }

  private FormularyDiff() {}

  public static Result diff(FormularyVersion from, Collection<FormularyEntry> fromItems, FormularyVersion to,
      Collection<FormularyEntry> toItems, Labels labels) {
    List<FormularyEntry> older = sorted(fromItems);
    List<FormularyEntry> newer = sorted(toItems);
    List<FormularyEntry[]> pairs = new ArrayList<>();
    pair(older, newer, pairs, FormularyEntry::medicationId);
    pair(older, newer, pairs, i -> i.product() == null ? null : i.product().nhsaDrugCode());
    pair(older, newer, pairs, i -> i.product() == null ? null : i.product().specKey());
    pairUnique(older, newer, pairs);

    List<ItemChange> changed = new ArrayList<>();
    int unchanged = 0;
    for (FormularyEntry[] p : pairs) {
      List<FieldChange> changes = compare(p[0], p[1], labels);
      if (changes.isEmpty()) {
        unchanged++;
      } else {
        changed.add(new ItemChange(p[0], p[1], changes));
      }
    }
    changed.sort(Comparator.comparing((ItemChange c) -> sortKey(c.to())));
    List<FormularyEntry> removals = toItems.stream().filter(i -> !i.active()).toList();
    return new Result(from, to, List.copyOf(newer), List.copyOf(older), List.copyOf(changed), unchanged, removals);
  }

  /** Pairs items that agree on {@code key}; paired items leave the two lists. */
  private static void pair(List<FormularyEntry> older, List<FormularyEntry> newer, List<FormularyEntry[]> pairs,
      Function<FormularyEntry, String> key) {
    Map<String, FormularyEntry> newerByKey = new HashMap<>();
    for (FormularyEntry n : newer) {
      String k = key.apply(n);
      if (k != null) {
        newerByKey.putIfAbsent(k, n);
      }
    }
    for (var it = older.iterator(); it.hasNext(); ) {
      FormularyEntry o = it.next();
      String k = key.apply(o);
      FormularyEntry n = k == null ? null : newerByKey.remove(k);
      if (n != null) {
        pairs.add(new FormularyEntry[] {o, n});
        it.remove();
        newer.remove(n);
      }
    }
  }

  /** Pairs the last leftovers that share 通用名 + 剂型 + 规格, when that leaves no doubt. */
  private static void pairUnique(List<FormularyEntry> older, List<FormularyEntry> newer, List<FormularyEntry[]> pairs) {
    Function<FormularyEntry, String> key = i -> {
      Product p = i.product();
      if (p == null || p.genericName().isEmpty() || p.dosageFormCode() == null || p.strength().isEmpty()) {
        return null;
      }
      return TwoSpecCheck.normalize(p.genericName()) + "|" + p.dosageFormCode() + "|" + TwoSpecCheck.normalize(p.strength());
    };
    Map<String, List<FormularyEntry>> olderByKey = group(older, key);
    Map<String, List<FormularyEntry>> newerByKey = group(newer, key);
    for (Map.Entry<String, List<FormularyEntry>> e : olderByKey.entrySet()) {
      List<FormularyEntry> candidates = newerByKey.get(e.getKey());
      if (e.getValue().size() == 1 && candidates != null && candidates.size() == 1) {
        pairs.add(new FormularyEntry[] {e.getValue().get(0), candidates.get(0)});
        older.remove(e.getValue().get(0));
        newer.remove(candidates.get(0));
      }
    }
  }

  private static Map<String, List<FormularyEntry>> group(List<FormularyEntry> items, Function<FormularyEntry, String> key) {
    Map<String, List<FormularyEntry>> map = new LinkedHashMap<>();
    for (FormularyEntry i : items) {
      String k = key.apply(i);
      if (k != null) {
        map.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      }
    }
    return map;
  }

  static List<FieldChange> compare(FormularyEntry a, FormularyEntry b, Labels labels) {
    List<FieldChange> changes = new ArrayList<>();
    Product pa = a.product();
    Product pb = b.product();
    if (pa != null && pb != null) {
      add(changes, Field.MANUFACTURER, pa.manufacturer(), pb.manufacturer());
      add(changes, Field.PACKAGE, pa.packageText(), pb.packageText());
      add(changes, Field.STRENGTH, pa.strength(), pb.strength());
      // The national code decides (片 and 片剂 are one form); the text only when neither has a code.
      add(changes, Field.DOSAGE_FORM, pa.dosageFormText(), pb.dosageFormText(),
          pa.dosageFormCode() != null || pb.dosageFormCode() != null
              ? Objects.equals(pa.dosageFormCode(), pb.dosageFormCode())
              : Objects.equals(pa.dosageFormText(), pb.dosageFormText()));
      add(changes, Field.NHSA_DRUG_CODE, nz(pa.nhsaDrugCode()), nz(pb.nhsaDrugCode()));
    }
    add(changes, Field.VBP, Labels.yesNo(a.vbp()), Labels.yesNo(b.vbp()));
    add(changes, Field.VBP_BATCH, a.vbpBatch(), b.vbpBatch());
    add(changes, Field.ESSENTIAL_MEDICINE, Labels.yesNo(a.essentialMedicine()), Labels.yesNo(b.essentialMedicine()));
    add(changes, Field.INSURANCE_CLASS, a.insuranceClass() == null ? "" : labels.insuranceClass(a.insuranceClass()),
        b.insuranceClass() == null ? "" : labels.insuranceClass(b.insuranceClass()));
    add(changes, Field.CHRONIC_DISEASE_GROUP, groups(a, labels), groups(b, labels),
        a.chronicDiseaseGroups().stream().sorted().toList().equals(b.chronicDiseaseGroups().stream().sorted().toList()));
    add(changes, Field.TWO_SPEC_EXEMPT, Labels.yesNo(a.twoSpecExempt()), Labels.yesNo(b.twoSpecExempt()));
    add(changes, Field.LINKAGE_DRUG, Labels.yesNo(a.linkageDrug()), Labels.yesNo(b.linkageDrug()));
    return changes;
  }

  private static void add(List<FieldChange> changes, Field field, String from, String to) {
    add(changes, field, from, to, Objects.equals(from, to));
  }

  private static void add(List<FieldChange> changes, Field field, String from, String to, boolean same) {
    if (!same) {
      changes.add(new FieldChange(field, from, to));
    }
  }

  private static String groups(FormularyEntry item, Labels labels) {
    return item.chronicDiseaseGroups().stream().map(labels::chronicDiseaseGroup).collect(Collectors.joining("、"));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static List<FormularyEntry> sorted(Collection<FormularyEntry> items) {
    List<FormularyEntry> list = new ArrayList<>(items.stream().filter(FormularyEntry::active).toList());
    list.sort(Comparator.comparing(FormularyDiff::sortKey));
    return list;
  }

  static String sortKey(FormularyEntry item) {
    Product p = item.product();
    return p == null ? "\uffff" + item.itemId()
        : p.genericName() + "|" + p.strength() + "|" + p.manufacturer() + "|" + item.itemId();
  }
}
