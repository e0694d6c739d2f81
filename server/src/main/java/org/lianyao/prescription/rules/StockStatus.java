package org.lianyao.prescription.rules;

import org.hl7.fhir.r4.model.Coding;
import org.lianyao.prescription.PrescriptionCodes;

/** Whether an institution stocks a drug: what its current member formulary (成员单位目录) lists. */
public enum StockStatus {
  /** The same product (same Medication, NHSA drug code or NMPA standard code) is listed. */
  STOCKED("stocked", "本机构目录有该药品"),
  /** Not this product, but another with the same generic name (通用名) is: offer it as substitution. */
  GENERIC_AVAILABLE("generic-available", "本机构目录有同通用名药品，可替换"),
  /** Neither the product nor its generic name is listed. */
  NOT_STOCKED("not-stocked", "本机构目录无该药品及同通用名药品"),
  /** The institution has no member formulary registered: stock cannot be told. */
  NO_FORMULARY("no-formulary", "本机构未登记成员单位用药目录");

  private final String code;
  private final String display;

  StockStatus(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public Coding toCoding() {
    return new Coding(PrescriptionCodes.CS_STOCK_STATUS, code, display);
  }
}
