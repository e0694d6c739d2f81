package org.lianyao.formulary;

import java.util.List;

/** Hand-built formulary data for the pure calculations: items, products, versions, institutions. */
public final class Fixtures {

  private Fixtures() {}

  public static Product product(String medicationId, String genericName, String form, String strength,
      String manufacturer) {
    return new Product(medicationId, genericName, form, form, strength, "", manufacturer, null);
  }

  public static Product product(String medicationId, String genericName, String form, String strength,
      String packageText, String manufacturer, String nhsaCode) {
    return new Product(medicationId, genericName, form, form, strength, packageText, manufacturer, nhsaCode);
  }

  /** A plain listed item: no flags stated. */
  public static Item item(String itemId, String formularyId, Product product) {
    return new Item(itemId, formularyId, product);
  }

  public static FormularyVersion consortium(String id, String identifier) {
    return new FormularyVersion(id, identifier, FormularyKind.CONSORTIUM, null, "org-consortium", "示例区医共体",
        "医联体目录 " + identifier, java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31));
  }

  public static FormularyVersion member(String id, String owner, String parentId) {
    return new FormularyVersion(id, owner + "-2025", FormularyKind.MEMBER, parentId, owner, owner, owner + " 目录",
        java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31));
  }

  public static Institution institution(String id, String code, String level, Boolean grassroots) {
    return new Institution(id, "机构" + code, code, level, level == null ? "" : level, grassroots);
  }

  /** Builder of {@link FormularyEntry} (a record with many fields). */
  public static final class Item {
    private final String itemId;
    private final String formularyId;
    private final Product product;
    private Boolean vbp;
    private String vbpBatch = "";
    private Boolean essential;
    private String insuranceClass;
    private List<String> groups = List.of();
    private Boolean twoSpecExempt;
    private Boolean linkage;
    private String changeType;
    private String reason = "";

    Item(String itemId, String formularyId, Product product) {
      this.itemId = itemId;
      this.formularyId = formularyId;
      this.product = product;
    }

    public Item vbp(String batch) {
      this.vbp = true;
      this.vbpBatch = batch;
      return this;
    }

    public Item essential(boolean value) {
      this.essential = value;
      return this;
    }

    public Item insurance(String code) {
      this.insuranceClass = code;
      return this;
    }

    public Item groups(String... codes) {
      this.groups = List.of(codes);
      return this;
    }

    public Item exempt(Boolean value) {
      this.twoSpecExempt = value;
      return this;
    }

    public Item linkage(Boolean value) {
      this.linkage = value;
      return this;
    }

    public Item change(String type, String why) {
      this.changeType = type;
      this.reason = why;
      return this;
    }

    public FormularyEntry build() {
      return new FormularyEntry(itemId, formularyId, product == null ? null : product.medicationId(),
          formularyId + "|" + (product == null ? itemId : product.medicationId()), vbp, vbpBatch, essential,
          insuranceClass, groups, twoSpecExempt, linkage, changeType,
          changeType == null ? null : java.time.LocalDate.of(2025, 4, 1), reason, product);
    }
  }
}
