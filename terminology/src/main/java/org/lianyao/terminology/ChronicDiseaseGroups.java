package org.lianyao.terminology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Coding;

/**
 * Diagnosis (ICD-10) → chronic-disease group of the linkage catalog (慢病用药衔接目录), from the
 * {@code icd10} property of the chronic-disease-group code system. Pre-review uses it to check that
 * a long-term prescription's drug belongs to a group matching the patient's diagnosis.
 */
public final class ChronicDiseaseGroups {

  private record Group(Coding coding, String ranges) {}

  private final List<Group> groups = new ArrayList<>();

  public ChronicDiseaseGroups(TerminologyResources resources) {
    for (ConceptDefinitionComponent concept : resources.concepts(CodeSystems.CHRONIC_DISEASE_GROUP)) {
      String ranges = null;
      for (ConceptPropertyComponent property : concept.getProperty()) {
        if (CodeSystems.PROPERTY_ICD10.equals(property.getCode())) {
          ranges = property.getValue().primitiveValue();
        }
      }
      if (ranges == null || ranges.isBlank()) {
        throw new IllegalStateException("chronic-disease group " + concept.getCode() + " has no icd10 property");
      }
      groups.add(new Group(
          new Coding(CodeSystems.CHRONIC_DISEASE_GROUP, concept.getCode(), concept.getDisplay()), ranges));
    }
  }

  /**
   * The groups whose ICD-10 ranges contain {@code icd10Code}. Accepts WHO codes ({@code I10},
   * {@code E11.9}) and the Chinese clinical extensions ({@code I10.x00x002}); usually one group.
   */
  public List<Coding> groupsFor(String icd10Code) {
    List<Coding> result = new ArrayList<>();
    for (Group group : groups) {
      if (inRanges(group.ranges(), icd10Code)) {
        result.add(group.coding().copy());
      }
    }
    return result;
  }

  /**
   * Whether {@code icd10Code} falls into one of the comma-separated categories or inclusive ranges
   * ({@code "I60-I64,I69"}, {@code "B18.0-B18.1"}). Each bound is compared with the code's prefix of
   * the bound's length, so {@code I15} includes {@code I15.9} and {@code B18.1} includes {@code B18.102}.
   */
  public static boolean inRanges(String ranges, String icd10Code) {
    String code = normalize(icd10Code);
    if (code.length() < 3) {
      return false;
    }
    for (String part : ranges.split(",")) {
      String[] bounds = part.strip().split("-", 2);
      String low = normalize(bounds[0]);
      String high = bounds.length == 2 ? normalize(bounds[1]) : low;
      // A code shorter than a bound is less specific than the range (B18 is not inside B18.0-B18.1):
      // its truncated prefix then compares below the bound and fails, which is the intended result.
      String forLow = code.substring(0, Math.min(code.length(), low.length()));
      String forHigh = code.substring(0, Math.min(code.length(), high.length()));
      if (forLow.compareTo(low) >= 0 && forHigh.compareTo(high) <= 0) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String code) {
    return code == null ? "" : code.strip().replace(".", "").toUpperCase(Locale.ROOT);
  }
}
