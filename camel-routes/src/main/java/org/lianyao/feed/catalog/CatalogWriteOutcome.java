package org.lianyao.feed.catalog;

/**
 * What one catalog import changed in the FHIR store.
 *
 * @param formulary the formulary version written to ({@code InsurancePlan/123})
 * @param items product-specs (品规) in the file
 * @param created resources created (Medication and formulary items)
 * @param updated resources changed
 * @param unchanged resources the file left as they were (a re-import of the same file changes none)
 * @param removed formulary items deleted because the file no longer lists their product
 */
public record CatalogWriteOutcome(String formulary, int items, int created, int updated, int unchanged,
    int removed) {

  /** True when the import changed nothing (the same file imported again). */
  public boolean isNoChange() {
    return created == 0 && updated == 0 && removed == 0;
  }

  /** One-line Chinese summary for logs and reports. */
  public String summary() {
    return "导入 " + items + " 个品规：新增 " + created + "，更新 " + updated + "，未变 " + unchanged + "，移除 "
        + removed;
  }
}
