package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.feed.catalog.CatalogTestSupport.CONVERTER;
import static org.lianyao.feed.catalog.CatalogTestSupport.READER;
import static org.lianyao.feed.catalog.CatalogTestSupport.VALIDATOR;
import static org.lianyao.feed.catalog.CatalogTestSupport.demoCatalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.CodeSystems.ChronicDiseaseGroup;
import org.lianyao.terminology.CodeSystems.FormularyChangeType;

/** The demo consortium catalogs (2024 and 2025 versions) must import cleanly and tell a coherent story. */
class DemoCatalogTest {

  private static CatalogValidation v2024;
  private static CatalogValidation v2025;

  @BeforeAll
  static void validateDemoCatalogs() throws IOException {
    v2024 = VALIDATOR.validate(READER.read(new ByteArrayInputStream(demoCatalog("catalog-2024.csv")), "catalog-2024.csv"));
    v2025 = VALIDATOR.validate(READER.read(new ByteArrayInputStream(demoCatalog("catalog-2025.csv")), "catalog-2025.csv"));
  }

  @Test
  void bothVersionsImportWithoutProblems() {
    assertThat(v2024.problems()).isEmpty();
    assertThat(v2025.problems()).isEmpty();
    assertThat(CONVERTER.toTransaction(v2025, FormularyTarget.ofId("consortium-2025")).getEntry())
        .hasSize(2 * v2025.items().size());
  }

  @Test
  void version2025ListsAtLeastSixtyProductsAndAllChronicDiseaseGroups() {
    List<CatalogItem> listed = v2025.items().stream().filter(i -> !isRemoved(i)).toList();
    assertThat(listed).hasSizeGreaterThanOrEqualTo(60);
    Set<String> groups = listed.stream().flatMap(i -> i.chronicDiseaseGroups().stream())
        .map(CatalogCode::code).collect(Collectors.toSet());
    assertThat(groups).contains(ChronicDiseaseGroup.HYPERTENSION, ChronicDiseaseGroup.DIABETES, ChronicDiseaseGroup.COPD,
        ChronicDiseaseGroup.CORONARY_HEART_DISEASE, ChronicDiseaseGroup.STROKE,
        ChronicDiseaseGroup.CHRONIC_KIDNEY_DISEASE, ChronicDiseaseGroup.OSTEOPOROSIS,
        ChronicDiseaseGroup.DEPRESSION, ChronicDiseaseGroup.PARKINSON);
    // No invented codes: the demo carries no NHSA or NMPA codes at all.
    assertThat(v2025.items()).allSatisfy(i -> {
      assertThat(i.nhsaDrugCode()).isEmpty();
      assertThat(i.nmpaStandardCode()).isEmpty();
    });
  }

  @Test
  void depressionAndParkinsonGroupsAreNewIn2025() {
    // 渝北卫健函〔2025〕101号: the 2025 catalog added depression and Parkinson's disease.
    Set<String> groups2024 = v2024.items().stream().flatMap(i -> i.chronicDiseaseGroups().stream())
        .map(CatalogCode::code).collect(Collectors.toSet());
    assertThat(groups2024).doesNotContain(ChronicDiseaseGroup.DEPRESSION, ChronicDiseaseGroup.PARKINSON);
    assertThat(v2025.items()).filteredOn(i -> i.hasChronicDiseaseGroup(ChronicDiseaseGroup.DEPRESSION)
            || i.hasChronicDiseaseGroup(ChronicDiseaseGroup.PARKINSON))
        .isNotEmpty()
        .allSatisfy(i -> assertThat(i.changeType().code()).isEqualTo(FormularyChangeType.INTRODUCE));
  }

  @Test
  void changeRecordsOf2025AgreeWith2024() {
    Map<String, CatalogItem> byKey2024 = v2024.items().stream()
        .collect(Collectors.toMap(i -> i.productKey().value(), Function.identity()));
    Set<String> keys2025 = v2025.items().stream().map(i -> i.productKey().value()).collect(Collectors.toSet());
    Map<String, List<CatalogItem>> byType = v2025.items().stream().filter(i -> i.changeType() != null)
        .collect(Collectors.groupingBy(i -> i.changeType().code()));

    assertThat(byType).containsOnlyKeys(FormularyChangeType.INTRODUCE, FormularyChangeType.REMOVE,
        FormularyChangeType.CHANGE);
    assertThat(v2025.items()).filteredOn(i -> i.changeType() != null)
        .allSatisfy(i -> assertThat(i.effectiveDate()).isNotNull());
    // 引进: not in 2024. 调出: in 2024.
    assertThat(byType.get(FormularyChangeType.INTRODUCE))
        .allSatisfy(i -> assertThat(byKey2024).doesNotContainKey(i.productKey().value()));
    assertThat(byType.get(FormularyChangeType.REMOVE))
        .allSatisfy(i -> assertThat(byKey2024).containsKey(i.productKey().value()));
    // 变更: either the same product with changed flags, or a replacement with the same generic name
    // and strength whose 2024 product no longer appears.
    for (CatalogItem changed : byType.get(FormularyChangeType.CHANGE)) {
      CatalogItem before = byKey2024.get(changed.productKey().value());
      if (before != null) {
        assertThat(before).isNotEqualTo(changed);
        assertThat(before.linkageDrug()).isNotEqualTo(changed.linkageDrug());
      } else {
        assertThat(v2024.items()).anySatisfy(old -> {
          assertThat(old.genericName()).isEqualTo(changed.genericName());
          assertThat(old.strength()).isEqualTo(changed.strength());
          assertThat(old.manufacturer()).isNotEqualTo(changed.manufacturer());
          assertThat(keys2025).doesNotContain(old.productKey().value());
          assertThat(changed.changeReason()).contains(old.manufacturer());
        });
      }
    }
    // Every other 2024 product is still listed in 2025, unchanged.
    Set<String> replacedGenericNames = byType.get(FormularyChangeType.CHANGE).stream()
        .map(CatalogItem::genericName).collect(Collectors.toSet());
    assertThat(v2024.items())
        .filteredOn(i -> !keys2025.contains(i.productKey().value()))
        .allSatisfy(i -> assertThat(replacedGenericNames).contains(i.genericName()));
  }

  private static boolean isRemoved(CatalogItem item) {
    return item.changeType() != null && item.changeType().code().equals(FormularyChangeType.REMOVE);
  }
}
