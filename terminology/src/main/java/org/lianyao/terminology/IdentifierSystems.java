package org.lianyao.terminology;

import java.util.List;
import java.util.Optional;

/**
 * Identifier system URIs used throughout Lianyao. One place, so that a member HIS, a Camel route
 * and a FHIR search all name an identifier the same way. National OIDs come from WS/T 500 (see
 * {@code shared/docs/domain-reference.md}); where no official URI exists, Lianyao defines one under
 * its canonical base and publishes it as a NamingSystem.
 */
public final class IdentifierSystems {

  /** Lianyao's FHIR canonical base. */
  public static final String CANONICAL_BASE = "http://lianyao.org/fhir";

  /** 居民身份证号 (resident ID number, GB 11643), WS/T 500 OID. */
  public static final String RESIDENT_ID = "urn:oid:2.16.156.10011.1.3";

  /** 医疗机构代码 (health-administration institution code), WS/T 500 OID. */
  public static final String INSTITUTION_CODE = "urn:oid:2.16.156.10011.1.5";

  /**
   * 医保定点医疗机构编码 (NHSA designated-institution code, e.g. {@code H50011200001}): the code by
   * which consortium members identify each other in Lianyao.
   */
  public static final String NHSA_INSTITUTION_CODE = CANONICAL_BASE + "/sid/nhsa-institution-code";

  /** 统一社会信用代码 (unified social credit code, GB 32100). */
  public static final String USCC = CANONICAL_BASE + "/sid/uscc";

  /**
   * 处方编号 (prescription number). The national OID names the data element; a number is unique
   * only inside one institution, so Lianyao qualifies the system with the issuing institution's
   * NHSA code: {@code http://lianyao.org/fhir/sid/prescription-number/H50011200001}.
   */
  public static final String PRESCRIPTION_NUMBER_OID = "urn:oid:2.16.156.10011.1.20";

  public static final String PRESCRIPTION_NUMBER_BASE = CANONICAL_BASE + "/sid/prescription-number/";

  /** 国家医保药品分类与代码 (NHSA drug code). */
  public static final String NHSA_DRUG_CODE = CANONICAL_BASE + "/sid/nhsa-drug-code";

  /** 药品本位码 (NMPA drug standard code, GB 18937). */
  public static final String NMPA_STANDARD_CODE = CANONICAL_BASE + "/sid/nmpa-standard-code";

  /** 批准文号 (NMPA approval number). */
  public static final String NMPA_APPROVAL_NUMBER = CANONICAL_BASE + "/sid/nmpa-approval-number";

  /** 药品追溯码 (drug traceability code). */
  public static final String TRACEABILITY_CODE = CANONICAL_BASE + "/sid/drug-traceability-code";

  /**
   * 用药目录版本 (formulary version: one InsurancePlan per consortium year and per member formulary),
   * e.g. {@code YGT-2025} for the consortium catalog or {@code H50011200003-2025} for a member's. The
   * value names the version in catalog imports and in formulary-item identifiers, so it never changes.
   */
  public static final String FORMULARY = CANONICAL_BASE + "/sid/formulary";

  /**
   * Lianyao product key: the Medication key of a product-spec without an NHSA drug code (32 hex
   * chars of SHA-256 over a frozen normal form of 通用名|剂型代码|规格|包装|生产企业).
   */
  public static final String PRODUCT_KEY = CANONICAL_BASE + "/sid/product-key";

  /**
   * 用药目录条目 (formulary item, Basic): {@code <formulary version>|<product key>}, where the product
   * key is the NHSA drug code or the Lianyao product key. The value contains {@code |}: escape it in
   * searches ({@code \|}).
   */
  public static final String FORMULARY_ITEM = CANONICAL_BASE + "/sid/formulary-item";

  /** 执业医师/药师编码 (practitioner code as issued by the member institution). */
  public static final String PRACTITIONER_CODE_BASE = CANONICAL_BASE + "/sid/practitioner-code/";

  /** Local patient record number (门诊号/病历号) base, qualified by institution like prescriptions. */
  public static final String LOCAL_RECORD_NUMBER_BASE = CANONICAL_BASE + "/sid/local-record-number/";

  private IdentifierSystems() {}

  /** The globally unique prescription-number system of one institution. */
  public static String prescriptionNumberSystem(String nhsaInstitutionCode) {
    return PRESCRIPTION_NUMBER_BASE + nhsaInstitutionCode;
  }

  public static String practitionerCodeSystem(String nhsaInstitutionCode) {
    return PRACTITIONER_CODE_BASE + nhsaInstitutionCode;
  }

  public static String localRecordNumberSystem(String nhsaInstitutionCode) {
    return LOCAL_RECORD_NUMBER_BASE + nhsaInstitutionCode;
  }

  /** Bases of the systems qualified by an institution's NHSA code (identifiers unique only inside it). */
  public static final List<String> INSTITUTION_SCOPED_BASES =
      List.of(PRESCRIPTION_NUMBER_BASE, PRACTITIONER_CODE_BASE, LOCAL_RECORD_NUMBER_BASE);

  /**
   * The NHSA institution code that qualifies an institution-scoped system, e.g. {@code H50011200001}
   * for {@code http://lianyao.org/fhir/sid/prescription-number/H50011200001}; empty for other systems.
   * The code is returned as written; validate it with {@code NhsaInstitutionCodeValidator}.
   */
  public static Optional<String> institutionCodeOf(String system) {
    if (system != null) {
      for (String base : INSTITUTION_SCOPED_BASES) {
        if (system.startsWith(base)) {
          return Optional.of(system.substring(base.length()));
        }
      }
    }
    return Optional.empty();
  }
}
