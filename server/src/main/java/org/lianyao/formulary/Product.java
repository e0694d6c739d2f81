package org.lianyao.formulary;

import java.util.Objects;
import org.lianyao.feed.catalog.ProductKey;

/**
 * A product-spec (品规, one Medication) as the formulary rules compare it.
 *
 * @param medicationId logical id of the Medication
 * @param genericName 通用名 ({@code Medication.code.text})
 * @param dosageFormCode national dosage-form code (CV08.50.002), or {@code null}
 * @param dosageFormText 剂型 as written, or empty
 * @param strength 规格, or empty
 * @param packageText 包装, or empty
 * @param manufacturer 生产企业 ({@code manufacturer.display}), or empty
 * @param nhsaDrugCode 医保药品编码, or {@code null}
 */
public record Product(String medicationId, String genericName, String dosageFormCode, String dosageFormText,
    String strength, String packageText, String manufacturer, String nhsaDrugCode) {

  public Product {
    Objects.requireNonNull(medicationId, "medicationId");
    genericName = Objects.requireNonNullElse(genericName, "");
    dosageFormText = Objects.requireNonNullElse(dosageFormText, "");
    strength = Objects.requireNonNullElse(strength, "");
    packageText = Objects.requireNonNullElse(packageText, "");
    manufacturer = Objects.requireNonNullElse(manufacturer, "");
    dosageFormCode = dosageFormCode == null || dosageFormCode.isBlank() ? null : dosageFormCode;
    nhsaDrugCode = nhsaDrugCode == null || nhsaDrugCode.isBlank() ? null : nhsaDrugCode;
  }

  /**
   * The spec key: 通用名 + 剂型 + 规格 + 生产企业 in {@link ProductKey}'s frozen normal form (the package
   * does not take part, so the same product in another pack still matches); {@code null} when one of
   * the four is unknown.
   */
  public String specKey() {
    if (genericName.isEmpty() || dosageFormCode == null || strength.isEmpty() || manufacturer.isEmpty()) {
      return null;
    }
    return ProductKey.derive(genericName, dosageFormCode, strength, "", manufacturer);
  }

  /** {@code 阿托伐他汀钙片 20mg（北京嘉林药业股份有限公司）}: how a product is named in messages. */
  public String label() {
    StringBuilder b = new StringBuilder(genericName.isEmpty() ? "Medication/" + medicationId : genericName);
    if (!strength.isEmpty()) {
      b.append(' ').append(strength);
    }
    if (!manufacturer.isEmpty()) {
      b.append('（').append(manufacturer).append('）');
    }
    return b.toString();
  }
}
