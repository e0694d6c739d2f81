package org.lianyao.feed.catalog;

import java.util.Set;
import org.lianyao.terminology.CodeSystems.ChronicDiseaseGroup;

/**
 * Policy parameters of the catalog import, kept as data so a consortium can adapt them without a
 * code change.
 *
 * @param twoSpecExemptGroups chronic-disease groups whose drugs are exempt from 一品两规 (at most two
 *     oral and two injectable products per generic name) when the file leaves 一品两规豁免 empty.
 *     Default: hypertension, diabetes, COPD — 国卫药政发〔2024〕38号 ("高血压、糖尿病、慢阻肺病用药不受
 *     ‘一品两规’限定"), repeated in the provincial work plan (seed 001).
 */
public record CatalogRules(Set<String> twoSpecExemptGroups) {

  public CatalogRules {
    twoSpecExemptGroups = Set.copyOf(twoSpecExemptGroups);
  }

  /** The national 2024 No. 38 rules. */
  public static CatalogRules defaults() {
    return new CatalogRules(Set.of(
        ChronicDiseaseGroup.HYPERTENSION, ChronicDiseaseGroup.DIABETES, ChronicDiseaseGroup.COPD));
  }

  /** 一品两规 exemption of an item: as stated in the file, else by its chronic-disease groups. */
  public boolean twoSpecExempt(CatalogItem item) {
    if (item.twoSpecExempt() != null) {
      return item.twoSpecExempt();
    }
    return item.chronicDiseaseGroups().stream().anyMatch(g -> twoSpecExemptGroups.contains(g.code()));
  }
}
