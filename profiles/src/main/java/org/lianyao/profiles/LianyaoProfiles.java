package org.lianyao.profiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Canonical URLs of the StructureDefinitions and SearchParameters in the Lianyao FHIR package, and
 * the profile that applies to each resource type. Extension URLs from {@code docs/conventions.md}
 * live in {@link org.lianyao.terminology.Extensions}; only the two extensions this module added
 * beyond the conventions are here. {@code LianyaoProfilesTest} checks every constant against the
 * built package.
 */
public final class LianyaoProfiles {

  /** Base of every Lianyao StructureDefinition. */
  public static final String SD_BASE = IdentifierSystems.CANONICAL_BASE + "/StructureDefinition/";

  /** Base of every Lianyao SearchParameter. */
  public static final String SP_BASE = IdentifierSystems.CANONICAL_BASE + "/SearchParameter/";

  public static final String PATIENT = SD_BASE + "lianyao-patient";
  public static final String ORGANIZATION = SD_BASE + "lianyao-organization";
  public static final String PRACTITIONER = SD_BASE + "lianyao-practitioner";
  public static final String PRACTITIONER_ROLE = SD_BASE + "lianyao-practitioner-role";
  public static final String MEDICATION = SD_BASE + "lianyao-medication";
  /** 处方 prescription line (WS 445.3 / WS/T 500.4). */
  public static final String MEDICATION_REQUEST = SD_BASE + "lianyao-medication-request";
  public static final String MEDICATION_DISPENSE = SD_BASE + "lianyao-medication-dispense";
  /** 用药目录 formulary version (InsurancePlan, Da Vinci Formulary pattern). */
  public static final String FORMULARY = SD_BASE + "lianyao-formulary";
  /** 目录条目 formulary item (Basic, Da Vinci FormularyItem pattern). */
  public static final String FORMULARY_ITEM = SD_BASE + "lianyao-formulary-item";

  /**
   * 长期处方评估 (MedicationRequest, complex: {@code date}, {@code assessor}, {@code note}): required
   * when a long-term prescription runs over 4 weeks (国卫办医发〔2021〕17号).
   */
  public static final String EXT_LONG_TERM_PRESCRIPTION_EVALUATION = SD_BASE + "long-term-prescription-evaluation";

  /**
   * 处方前置审核结果 (MedicationRequest, complex: {@code outcome}, {@code date}, {@code reviewer},
   * {@code issue}, {@code note}): latest result of the regional pre-review.
   */
  public static final String EXT_PRESCRIPTION_REVIEW = SD_BASE + "prescription-review";

  /** Code system of {@code prescription-review.outcome} (shipped by this module until terminology adopts it). */
  public static final String CS_PRESCRIPTION_REVIEW_OUTCOME =
      IdentifierSystems.CANONICAL_BASE + "/CodeSystem/prescription-review-outcome";

  /**
   * Identifier system of 医保卡号 (insurance / social-security card number) on Patient. Not in
   * {@code docs/conventions.md} yet: provisional until terminology publishes a NamingSystem for it.
   */
  public static final String INSURANCE_CARD_NUMBER_SYSTEM = IdentifierSystems.CANONICAL_BASE + "/sid/insurance-card-number";

  /** ICD-10 (China) diagnosis system used in {@code MedicationRequest.reasonCode}; edition in Coding.version. */
  public static final String ICD10_CN = "http://hl7.org/fhir/sid/icd-10-cn";

  /** Search parameter codes added by the package (name → code used in URLs). */
  public static final class SearchParams {
    /** MedicationRequest (prescribing-institution) and MedicationDispense (dispensing-institution). */
    public static final String INSTITUTION = "institution";
    public static final String REVIEW_OUTCOME = "review-outcome";
    public static final String TRACEABILITY_CODE = "traceability-code";
    public static final String SPLIT_PACK = "split-pack";
    public static final String DRUG_CONTROL_CLASS = "drug-control-class";
    /** Basic (formulary item) → InsurancePlan; Da Vinci name. */
    public static final String FORMULARY = "formulary";
    public static final String VBP = "vbp";
    public static final String ESSENTIAL_MEDICINE = "essential-medicine";
    public static final String INSURANCE_CLASS = "insurance-class";
    public static final String CHRONIC_DISEASE_GROUP = "chronic-disease-group";
    public static final String LINKAGE_DRUG = "linkage-drug";
    public static final String CHANGE_TYPE = "change-type";
    /** InsurancePlan (member formulary) → its consortium formulary. */
    public static final String PARENT_FORMULARY = "parent-formulary";
    /** InsurancePlan.period; Da Vinci name. */
    public static final String PERIOD = "period";

    private SearchParams() {}
  }

  /** Profile URL per resource type, in a stable order. */
  public static final Map<String, String> BY_RESOURCE_TYPE;

  static {
    Map<String, String> byType = new LinkedHashMap<>();
    byType.put("Patient", PATIENT);
    byType.put("Organization", ORGANIZATION);
    byType.put("Practitioner", PRACTITIONER);
    byType.put("PractitionerRole", PRACTITIONER_ROLE);
    byType.put("Medication", MEDICATION);
    byType.put("MedicationRequest", MEDICATION_REQUEST);
    byType.put("MedicationDispense", MEDICATION_DISPENSE);
    byType.put("InsurancePlan", FORMULARY);
    byType.put("Basic", FORMULARY_ITEM);
    BY_RESOURCE_TYPE = Collections.unmodifiableMap(byType);
  }

  private LianyaoProfiles() {}
}
