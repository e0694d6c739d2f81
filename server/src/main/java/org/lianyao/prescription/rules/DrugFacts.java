package org.lianyao.prescription.rules;

import java.util.Set;

/**
 * What the rules need to know about a prescribed drug.
 *
 * @param medicationId logical id of the Medication, or {@code null} for an inline drug
 * @param genericName 通用名 ({@code Medication.code.text}), or empty
 * @param label how people name it (通用名 规格 生产企业)
 * @param nationalCodes NHSA drug codes and NMPA standard codes as {@code system|code}
 * @param controlClasses drug-control-class codes (麻醉药品 …)
 * @param matched false when the drug carries no national code (data-quality {@code unmatched-drug})
 */
public record DrugFacts(String medicationId, String genericName, String label, Set<String> nationalCodes,
    Set<String> controlClasses, boolean matched) {

  public DrugFacts {
    genericName = genericName == null ? "" : genericName.strip();
    label = label == null || label.isBlank() ? genericName : label;
    nationalCodes = nationalCodes == null ? Set.of() : Set.copyOf(nationalCodes);
    controlClasses = controlClasses == null ? Set.of() : Set.copyOf(controlClasses);
  }
}
