package org.lianyao.feed.catalog;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One product-spec (品规) of a formulary file after validation: every cell interpreted, codes
 * resolved. Produced only by {@link CatalogValidator} for rows without problems.
 *
 * <p>Yes/no flags are {@code null} when the cell was empty ("not stated"): the converter then
 * writes no extension, except for the 一品两规 exemption, which has a policy default
 * ({@link CatalogRules#twoSpecExemptGroups()}).
 *
 * @param rowNumber spreadsheet row the item came from
 * @param genericName 通用名 generic name
 * @param dosageForm national dosage form (WS 364 CV08.50.002, 2011)
 * @param dosageFormText 剂型 as the committee wrote it (kept as form.text)
 * @param strength 规格
 * @param packageText 包装, or empty
 * @param manufacturer 生产企业
 * @param nhsaDrugCode 医保药品编码 (upper case), or empty
 * @param nmpaStandardCode 本位码, or empty
 * @param approvalNumber 批准文号, or empty
 * @param vbp 集采 volume-based procurement
 * @param vbpBatch 集采批次, or empty
 * @param essentialMedicine 基药
 * @param insuranceClass 医保类别, or {@code null}
 * @param chronicDiseaseGroups 慢病病种 (may be empty)
 * @param linkageDrug 衔接药品 (上下衔接)
 * @param twoSpecExempt 一品两规豁免 as stated, or {@code null}
 * @param drugControlClasses 药品管制类别 (may be empty)
 * @param changeType 变更类型 引进/调出/变更, or {@code null}
 * @param effectiveDate 生效日期, or {@code null}
 * @param changeReason 变更原因, or empty
 * @param productKey the Medication's conditional-update key
 * @param derivedProductKey the derived Lianyao product key (always computed, see {@link ProductKey})
 */
public record CatalogItem(
    int rowNumber,
    String genericName,
    CatalogCode dosageForm,
    String dosageFormText,
    String strength,
    String packageText,
    String manufacturer,
    String nhsaDrugCode,
    String nmpaStandardCode,
    String approvalNumber,
    Boolean vbp,
    String vbpBatch,
    Boolean essentialMedicine,
    CatalogCode insuranceClass,
    List<CatalogCode> chronicDiseaseGroups,
    Boolean linkageDrug,
    Boolean twoSpecExempt,
    List<CatalogCode> drugControlClasses,
    CatalogCode changeType,
    LocalDate effectiveDate,
    String changeReason,
    ProductKey productKey,
    String derivedProductKey) {

  public CatalogItem {
    Objects.requireNonNull(genericName, "genericName");
    Objects.requireNonNull(dosageForm, "dosageForm");
    Objects.requireNonNull(productKey, "productKey");
    chronicDiseaseGroups = List.copyOf(chronicDiseaseGroups);
    drugControlClasses = List.copyOf(drugControlClasses);
  }

  public boolean hasChronicDiseaseGroup(String code) {
    return chronicDiseaseGroups.stream().anyMatch(c -> c.code().equals(code));
  }
}
