package org.lianyao.feed.hl7;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.FrequencyTimings;
import org.lianyao.terminology.TerminologyResources;

/**
 * What the HL7 v2 converters need besides the message: terminology lookups and the HIS conventions
 * of the consortium's members. Immutable and thread-safe; build one per application.
 *
 * @param codeMapper route (v2-0162 → national) and frequency (his-frequency → national) maps
 * @param drugCodeMapper local drug code → NHSA drug code
 * @param frequencyTimings Timing meaning of frequency codes
 * @param zone time zone of DTM values sent without an offset (HIS send local time)
 * @param facilityAliases MSH-4 values that are not NHSA institution codes (a HIS's own facility
 *     code or name) → the member's NHSA institution code
 * @param residentIdTypeCodes PID-3 identifier type codes (CX-5) meaning 居民身份证号
 * @param residentIdAuthorities PID-3 assigning authorities (CX-4.1 or CX-4.2) meaning 居民身份证号
 * @param localRecordTypeCodes PID-3 type codes read as the institution's local record number
 *     (门诊号/住院号/病历号); an empty type also counts
 * @param prescriptionCategory 处方类别 of the orders (HL7 v2 has no field for it; the Lianyao
 *     MedicationRequest profile requires one): a coding from {@code prescription-category},
 *     by default {@code ordinary} 普通处方
 */
public record Hl7ConverterConfig(
    CodeMapper codeMapper,
    DrugCodeMapper drugCodeMapper,
    FrequencyTimings frequencyTimings,
    ZoneId zone,
    Map<String, String> facilityAliases,
    Set<String> residentIdTypeCodes,
    Set<String> residentIdAuthorities,
    Set<String> localRecordTypeCodes,
    Coding prescriptionCategory) {

  /** China Standard Time (no daylight saving since 1991). */
  public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  /**
   * Resident-ID type codes in use: HL7 {@code NNCHN} (national person identifier, China) and
   * {@code NI} (what Lianyao's own Patient resources carry), and the HIS habits {@code ID},
   * {@code SFZ} (身份证), {@code IDCARD}.
   */
  public static final Set<String> DEFAULT_RESIDENT_ID_TYPE_CODES = Set.of("NNCHN", "NI", "ID", "SFZ", "IDCARD");

  /** Resident-ID assigning authorities in use: the WS/T 500 OID and the Chinese words HIS put there. */
  public static final Set<String> DEFAULT_RESIDENT_ID_AUTHORITIES = Set.of(
      "2.16.156.10011.1.3", "URN:OID:2.16.156.10011.1.3", "身份证", "居民身份证", "身份证号", "IDCARD", "SFZ", "SFZH");

  /** HL7 MR / PI / PT / MRN and the pinyin abbreviations MZ 门诊号, ZY 住院号, BLH 病历号. */
  public static final Set<String> DEFAULT_LOCAL_RECORD_TYPE_CODES = Set.of("MR", "PI", "PT", "MRN", "MZ", "ZY", "BLH");

  public Hl7ConverterConfig {
    Objects.requireNonNull(codeMapper, "codeMapper");
    Objects.requireNonNull(drugCodeMapper, "drugCodeMapper");
    Objects.requireNonNull(frequencyTimings, "frequencyTimings");
    Objects.requireNonNull(zone, "zone");
    facilityAliases = Map.copyOf(facilityAliases);
    residentIdTypeCodes = upper(residentIdTypeCodes);
    residentIdAuthorities = upper(residentIdAuthorities);
    localRecordTypeCodes = upper(localRecordTypeCodes);
    Objects.requireNonNull(prescriptionCategory, "prescriptionCategory");
    if (!CodeSystems.PRESCRIPTION_CATEGORY.equals(prescriptionCategory.getSystem()) || !prescriptionCategory.hasCode()) {
      throw new IllegalArgumentException("prescriptionCategory must be a code of " + CodeSystems.PRESCRIPTION_CATEGORY);
    }
    prescriptionCategory = prescriptionCategory.copy();
  }

  /** The default 处方类别 code. */
  public static final String DEFAULT_PRESCRIPTION_CATEGORY = "ordinary";

  /**
   * The usual configuration: route and frequency maps and frequency Timings from the terminology
   * module's bundled resources, China time, the default PID-3 conventions, no facility aliases.
   */
  public static Hl7ConverterConfig of(TerminologyResources terminology, DrugCodeMapper drugCodeMapper) {
    return new Hl7ConverterConfig(new ConceptMapCodeMapper(terminology.conceptMaps()), drugCodeMapper,
        new FrequencyTimings(terminology), CHINA, Map.of(), DEFAULT_RESIDENT_ID_TYPE_CODES,
        DEFAULT_RESIDENT_ID_AUTHORITIES, DEFAULT_LOCAL_RECORD_TYPE_CODES,
        prescriptionCategory(terminology, DEFAULT_PRESCRIPTION_CATEGORY));
  }

  /**
   * A {@code prescription-category} coding with its display from the bundled code system.
   *
   * @throws IllegalArgumentException when the code is not in the code system
   */
  public static Coding prescriptionCategory(TerminologyResources terminology, String code) {
    String display = terminology.display(CodeSystems.PRESCRIPTION_CATEGORY, code).orElseThrow(() ->
        new IllegalArgumentException("not a prescription-category code: " + code));
    return new Coding(CodeSystems.PRESCRIPTION_CATEGORY, code, display);
  }

  public Hl7ConverterConfig withFacilityAliases(Map<String, String> aliases) {
    return new Hl7ConverterConfig(codeMapper, drugCodeMapper, frequencyTimings, zone, aliases,
        residentIdTypeCodes, residentIdAuthorities, localRecordTypeCodes, prescriptionCategory);
  }

  public Hl7ConverterConfig withDrugCodeMapper(DrugCodeMapper mapper) {
    return new Hl7ConverterConfig(codeMapper, mapper, frequencyTimings, zone, facilityAliases,
        residentIdTypeCodes, residentIdAuthorities, localRecordTypeCodes, prescriptionCategory);
  }

  public Hl7ConverterConfig withPrescriptionCategory(Coding category) {
    return new Hl7ConverterConfig(codeMapper, drugCodeMapper, frequencyTimings, zone, facilityAliases,
        residentIdTypeCodes, residentIdAuthorities, localRecordTypeCodes, category);
  }

  public Hl7ConverterConfig withZone(ZoneId newZone) {
    return new Hl7ConverterConfig(codeMapper, drugCodeMapper, frequencyTimings, newZone, facilityAliases,
        residentIdTypeCodes, residentIdAuthorities, localRecordTypeCodes, prescriptionCategory);
  }

  private static Set<String> upper(Set<String> values) {
    return values.stream().map(v -> v.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
