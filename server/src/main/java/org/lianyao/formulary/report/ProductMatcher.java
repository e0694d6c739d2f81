package org.lianyao.formulary.report;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.Product;

/**
 * Finds the item of one formulary version that lists a given product — the rule by which a member
 * formulary stays inside its consortium version: the same Medication, else the same 医保药品编码, else
 * the same 通用名 + 剂型 + 规格 + 生产企业 ({@link Product#specKey()}). Built once per report from the
 * version's active items, then asked in memory for every member item.
 */
public final class ProductMatcher {

  private final Map<String, FormularyEntry> byMedication = new HashMap<>();
  private final Map<String, FormularyEntry> byNhsaCode = new HashMap<>();
  private final Map<String, FormularyEntry> bySpecKey = new HashMap<>();

  public ProductMatcher(Collection<FormularyEntry> versionItems) {
    for (FormularyEntry item : versionItems) {
      if (!item.active()) {
        continue;
      }
      if (item.medicationId() != null) {
        byMedication.putIfAbsent(item.medicationId(), item);
      }
      Product p = item.product();
      if (p != null) {
        if (p.nhsaDrugCode() != null) {
          byNhsaCode.putIfAbsent(p.nhsaDrugCode(), item);
        }
        String spec = p.specKey();
        if (spec != null) {
          bySpecKey.putIfAbsent(spec, item);
        }
      }
    }
  }

  /** The version's item for the product of {@code item}, if the version lists it. */
  public Optional<FormularyEntry> match(FormularyEntry item) {
    if (item.medicationId() != null) {
      FormularyEntry same = byMedication.get(item.medicationId());
      if (same != null) {
        return Optional.of(same);
      }
    }
    return item.product() == null ? Optional.empty() : match(item.product());
  }

  public Optional<FormularyEntry> match(Product product) {
    FormularyEntry found = byMedication.get(product.medicationId());
    if (found == null && product.nhsaDrugCode() != null) {
      found = byNhsaCode.get(product.nhsaDrugCode());
    }
    if (found == null) {
      String spec = product.specKey();
      found = spec == null ? null : bySpecKey.get(spec);
    }
    return Optional.ofNullable(found);
  }

  static List<FormularyEntry> active(Collection<FormularyEntry> items) {
    return items.stream().filter(FormularyEntry::active).toList();
  }
}
