package org.lianyao.terminology;

/**
 * Code system, value set and concept map URLs, plus the codes that Java code branches on. The
 * bundled JSON resources (see {@link TerminologyResources}) are the source of truth for displays and
 * properties; these constants exist so that no module retypes a URL or code. Every constant here is
 * checked against the bundled resources and {@code docs/conventions.md} by the module's tests.
 */
public final class CodeSystems {

  private static final String BASE = IdentifierSystems.CANONICAL_BASE;
  private static final String CS = BASE + "/CodeSystem/";
  private static final String VS = BASE + "/ValueSet/";
  private static final String CM = BASE + "/ConceptMap/";

  // ---- National WS 364 value domains (system = OID URI) --------------------------------

  /** 用药途径 route of administration, WS 364 CV06.00.102. */
  public static final String ROUTE = "urn:oid:2.16.156.10011.2.3.1.158";
  public static final String ROUTE_VALUE_SET = VS + "route";

  /** 药物剂型 dosage form, WS 364 CV08.50.002, 2011 edition (2023 renumbered it; see the JSON). */
  public static final String DOSAGE_FORM = "urn:oid:2.16.156.10011.2.3.1.211";
  /** The only edition Lianyao holds; a code from another edition must not be read with this table. */
  public static final String DOSAGE_FORM_VERSION = "2011";
  public static final String DOSAGE_FORM_VALUE_SET = VS + "dosage-form";

  /** 药物使用频次 medication frequency, CV06.00.228 (content unconfirmed). Codes carry Timing properties. */
  public static final String FREQUENCY = "urn:oid:2.16.156.10011.2.3.1.267";
  public static final String FREQUENCY_VALUE_SET = VS + "frequency";

  // ---- Lianyao code systems -----------------------------------------------------------

  /** Common HIS / HL7 v2 frequency abbreviations (qd, bid, tid, …), case-insensitive, with Timing properties. */
  public static final String HIS_FREQUENCY = CS + "his-frequency";
  public static final String HIS_FREQUENCY_VALUE_SET = VS + "his-frequency";

  /** 医疗机构级别 institution level, property {@code grassroots}. */
  public static final String INSTITUTION_LEVEL = CS + "institution-level";
  public static final String INSTITUTION_LEVEL_VALUE_SET = VS + "institution-level";

  /** 处方类别 prescription category (MedicationRequest.category). */
  public static final String PRESCRIPTION_CATEGORY = CS + "prescription-category";
  public static final String PRESCRIPTION_CATEGORY_VALUE_SET = VS + "prescription-category";

  /** 药品管理类别 special drug control class (narcotic, psychotropic, …). */
  public static final String DRUG_CONTROL_CLASS = CS + "drug-control-class";
  public static final String DRUG_CONTROL_CLASS_VALUE_SET = VS + "drug-control-class";

  /** 医保支付类别 insurance class 甲/乙/丙. */
  public static final String INSURANCE_CLASS = CS + "insurance-class";
  public static final String INSURANCE_CLASS_VALUE_SET = VS + "insurance-class";

  /** 慢性病病种 chronic-disease group of the linkage catalog, property {@code icd10}. */
  public static final String CHRONIC_DISEASE_GROUP = CS + "chronic-disease-group";
  public static final String CHRONIC_DISEASE_GROUP_VALUE_SET = VS + "chronic-disease-group";

  /** 目录调整类型 formulary change type 引进/调出/变更. */
  public static final String FORMULARY_CHANGE_TYPE = CS + "formulary-change-type";
  public static final String FORMULARY_CHANGE_TYPE_VALUE_SET = VS + "formulary-change-type";

  /** 目录类型 formulary kind: consortium or member formulary. */
  public static final String FORMULARY_KIND = CS + "formulary-kind";
  public static final String FORMULARY_KIND_VALUE_SET = VS + "formulary-kind";

  /** Basic.code of a formulary item. */
  public static final String FORMULARY_ITEM_TYPE = CS + "formulary-item-type";
  public static final String FORMULARY_ITEM_TYPE_VALUE_SET = VS + "formulary-item-type";

  /** 数据质量标签 data-quality tags (meta.tag); see {@link Tags}. */
  public static final String DATA_QUALITY = CS + "data-quality";
  public static final String DATA_QUALITY_VALUE_SET = VS + "data-quality";

  /** Local HIS drug codes of one member institution: append its NHSA institution code. */
  public static final String LOCAL_DRUG_BASE = CS + "local-drug/";

  // ---- Concept maps ---------------------------------------------------------------------

  /** his-frequency → national frequency (tid, q4h, prn … go to 99 其他, equivalence wider). */
  public static final String CONCEPT_MAP_FREQUENCY_TO_NATIONAL = CM + "hl7-frequency-to-national";
  /** HL7 v2 table 0162 → national route. */
  public static final String CONCEPT_MAP_ROUTE_TO_NATIONAL = CM + "hl7-route-to-national";
  /** Local drug code map of one institution: append its NHSA institution code. */
  public static final String CONCEPT_MAP_LOCAL_DRUG_BASE = CM + "local-drug-";

  // ---- External systems referenced by Lianyao resources --------------------------------

  /** HL7 v2 table 0162 route of administration (RXR-1). */
  public static final String HL7_V2_ROUTE = "http://terminology.hl7.org/CodeSystem/v2-0162";
  public static final String HL7_V2_ROUTE_VALUE_SET = "http://terminology.hl7.org/ValueSet/v2-0162";
  /** v3 ActCode, for InsurancePlan.type {@code DRUGPOL}. */
  public static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  public static final String DRUGPOL = "DRUGPOL";

  // ---- Property codes -----------------------------------------------------------------

  public static final String PROPERTY_GRASSROOTS = "grassroots";
  public static final String PROPERTY_ICD10 = "icd10";
  public static final String PROPERTY_NAMED_IN_CATALOG = "named-in-catalog";
  public static final String PROPERTY_FREQUENCY = "frequency";
  public static final String PROPERTY_PERIOD = "period";
  public static final String PROPERTY_PERIOD_UNIT = "periodUnit";
  public static final String PROPERTY_WHEN = "when";
  public static final String PROPERTY_COUNT = "count";
  public static final String PROPERTY_AS_NEEDED = "asNeeded";

  private CodeSystems() {}

  public static String localDrugSystem(String nhsaInstitutionCode) {
    return LOCAL_DRUG_BASE + nhsaInstitutionCode;
  }

  public static String localDrugConceptMap(String nhsaInstitutionCode) {
    return CONCEPT_MAP_LOCAL_DRUG_BASE + nhsaInstitutionCode;
  }

  // ---- Codes that code branches on --------------------------------------------------------

  /** Codes of {@link #INSTITUTION_LEVEL}. */
  public static final class InstitutionLevel {
    public static final String TERTIARY_HOSPITAL = "tertiary-hospital";
    public static final String SECONDARY_HOSPITAL = "secondary-hospital";
    public static final String PRIMARY_HOSPITAL = "primary-hospital";
    public static final String COMMUNITY_HEALTH_CENTER = "community-health-center";
    public static final String COMMUNITY_HEALTH_STATION = "community-health-station";
    public static final String TOWNSHIP_HEALTH_CENTER = "township-health-center";
    public static final String VILLAGE_CLINIC = "village-clinic";

    private InstitutionLevel() {}
  }

  /** Codes of {@link #PRESCRIPTION_CATEGORY}. */
  public static final class PrescriptionCategory {
    public static final String ORDINARY = "ordinary";
    public static final String EMERGENCY = "emergency";
    public static final String PEDIATRIC = "pediatric";
    public static final String NARCOTIC = "narcotic";
    public static final String PSYCHOTROPIC_1 = "psychotropic-1";
    public static final String PSYCHOTROPIC_2 = "psychotropic-2";
    public static final String LONG_TERM = "long-term";
    public static final String EXTENDED = "extended";

    private PrescriptionCategory() {}
  }

  /** Codes of {@link #DRUG_CONTROL_CLASS}. */
  public static final class DrugControlClass {
    public static final String NARCOTIC = "narcotic";
    public static final String PSYCHOTROPIC_1 = "psychotropic-1";
    public static final String PSYCHOTROPIC_2 = "psychotropic-2";
    public static final String TOXIC = "toxic";
    public static final String RADIOACTIVE = "radioactive";
    public static final String PRECURSOR = "precursor";
    public static final String ANTIMICROBIAL = "antimicrobial";
    public static final String SPECIAL_STORAGE = "special-storage";

    private DrugControlClass() {}
  }

  /** Codes of {@link #INSURANCE_CLASS}. */
  public static final class InsuranceClass {
    public static final String A = "A";
    public static final String B = "B";
    public static final String C = "C";

    private InsuranceClass() {}
  }

  /** Codes of {@link #CHRONIC_DISEASE_GROUP} named in docs/conventions.md. */
  public static final class ChronicDiseaseGroup {
    public static final String HYPERTENSION = "hypertension";
    public static final String DIABETES = "diabetes";
    public static final String COPD = "copd";
    public static final String CORONARY_HEART_DISEASE = "coronary-heart-disease";
    public static final String STROKE = "stroke";
    public static final String CHRONIC_KIDNEY_DISEASE = "chronic-kidney-disease";
    public static final String OSTEOPOROSIS = "osteoporosis";
    public static final String HYPERLIPIDEMIA = "hyperlipidemia";
    public static final String CHRONIC_HEPATITIS_B = "chronic-hepatitis-b";
    public static final String DEPRESSION = "depression";
    public static final String PARKINSON = "parkinson";

    private ChronicDiseaseGroup() {}
  }

  /** Codes of {@link #FORMULARY_CHANGE_TYPE}. */
  public static final class FormularyChangeType {
    public static final String INTRODUCE = "introduce";
    public static final String REMOVE = "remove";
    public static final String CHANGE = "change";

    private FormularyChangeType() {}
  }

  /** Codes of {@link #FORMULARY_KIND}. */
  public static final class FormularyKind {
    public static final String CONSORTIUM = "consortium";
    public static final String MEMBER = "member";

    private FormularyKind() {}
  }

  /** Codes of {@link #FORMULARY_ITEM_TYPE}. */
  public static final class FormularyItemType {
    public static final String FORMULARY_ITEM = "formulary-item";

    private FormularyItemType() {}
  }

  /** Codes of {@link #DATA_QUALITY}. */
  public static final class DataQuality {
    public static final String UNMATCHED_DRUG = "unmatched-drug";
    public static final String UNLINKABLE_PATIENT = "unlinkable-patient";

    private DataQuality() {}
  }

  /** Codes of the national {@link #FREQUENCY} table that code refers to. */
  public static final class Frequency {
    public static final String STAT = "13";
    public static final String OTHER = "99";

    private Frequency() {}
  }

  /** Codes of the national {@link #ROUTE} table that code refers to. */
  public static final class Route {
    public static final String ORAL = "1";
    public static final String INJECTION = "4";
    public static final String OTHER = "9";

    private Route() {}
  }
}
