package org.lianyao.terminology;

/**
 * Extension URLs ({@code http://lianyao.org/fhir/StructureDefinition/{id}}) from
 * {@code docs/conventions.md}. The StructureDefinitions themselves live in the profiles module;
 * the constants live here so that converters and the server need only the terminology jar.
 */
public final class Extensions {

  private static final String SD = IdentifierSystems.CANONICAL_BASE + "/StructureDefinition/";

  /** MedicationRequest: Reference(Organization) that wrote the prescription (search param {@code institution}). */
  public static final String PRESCRIBING_INSTITUTION = SD + "prescribing-institution";
  /** MedicationDispense: Reference(Organization) that dispensed (search param {@code institution}). */
  public static final String DISPENSING_INSTITUTION = SD + "dispensing-institution";
  /** MedicationDispense: boolean 拆零 split-pack sale (one box sold in parts). */
  public static final String SPLIT_PACK = SD + "split-pack";
  /** MedicationDispense: Identifier in the traceability-code system, repeating. */
  public static final String TRACEABILITY_CODE = SD + "traceability-code";
  /** Medication: string 规格 strength, e.g. {@code 20mg}. */
  public static final String MEDICATION_STRENGTH = SD + "medication-strength";
  /** Medication: string 包装 package, e.g. {@code 20mg×7片/盒}. */
  public static final String MEDICATION_PACKAGE = SD + "medication-package";
  /** Medication: Coding from drug-control-class, repeating. */
  public static final String DRUG_CONTROL_CLASS = SD + "drug-control-class";
  /** Basic (formulary item): Reference(InsurancePlan) of its formulary (search param {@code formulary}). */
  public static final String FORMULARY_REFERENCE = SD + "formulary-reference";
  /** Basic: boolean 集采 volume-based procurement product. */
  public static final String VBP = SD + "vbp";
  /** Basic: string 集采批次, e.g. {@code 第一批}. */
  public static final String VBP_BATCH = SD + "vbp-batch";
  /** Basic: boolean 基药 essential medicine. */
  public static final String ESSENTIAL_MEDICINE = SD + "essential-medicine";
  /** Basic: Coding from insurance-class. */
  public static final String INSURANCE_CLASS = SD + "insurance-class";
  /** Basic: Coding from chronic-disease-group, repeating. */
  public static final String CHRONIC_DISEASE_GROUP = SD + "chronic-disease-group";
  /** Basic: boolean 一品两规豁免 exemption from the two-products-per-generic rule. */
  public static final String TWO_SPEC_EXEMPT = SD + "two-spec-exempt";
  /** Basic: boolean 上下衔接药品 linkage drug (same drug available up and down the consortium). */
  public static final String LINKAGE_DRUG = SD + "linkage-drug";
  /** Basic: complex change record; sub-extensions {@link #FORMULARY_CHANGE_TYPE} etc. */
  public static final String FORMULARY_CHANGE = SD + "formulary-change";
  /** InsurancePlan: Reference(InsurancePlan) of the consortium version a member formulary stays inside. */
  public static final String PARENT_FORMULARY = SD + "parent-formulary";

  /** Sub-extension of {@link #FORMULARY_CHANGE}: Coding from formulary-change-type. */
  public static final String FORMULARY_CHANGE_TYPE = "type";
  /** Sub-extension of {@link #FORMULARY_CHANGE}: date the change takes effect. */
  public static final String FORMULARY_CHANGE_EFFECTIVE = "effective";
  /** Sub-extension of {@link #FORMULARY_CHANGE}: string reason. */
  public static final String FORMULARY_CHANGE_REASON = "reason";

  private Extensions() {}
}
