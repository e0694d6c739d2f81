package org.lianyao.terminology;

import org.hl7.fhir.r4.model.Coding;

/**
 * Data-quality tags ({@code meta.tag}) that feeds put on resources they could not fully resolve, so
 * that the data-governance desk can find and fix them. Displays match the bundled data-quality
 * CodeSystem (checked by the tests).
 */
public final class Tags {

  static final String UNMATCHED_DRUG_DISPLAY = "药品未匹配";
  static final String UNLINKABLE_PATIENT_DISPLAY = "患者无法跨机构关联";

  private Tags() {}

  /** A Medication whose local code has no NHSA drug code or formulary match yet. */
  public static Coding unmatchedDrug() {
    return new Coding(CodeSystems.DATA_QUALITY, CodeSystems.DataQuality.UNMATCHED_DRUG, UNMATCHED_DRUG_DISPLAY);
  }

  /** A Patient without an identifier that links it across institutions (e.g. no valid resident ID). */
  public static Coding unlinkablePatient() {
    return new Coding(CodeSystems.DATA_QUALITY, CodeSystems.DataQuality.UNLINKABLE_PATIENT, UNLINKABLE_PATIENT_DISPLAY);
  }
}
