package org.lianyao.prescription.rules;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A prescription line (one MedicationRequest) as the extension rules see it.
 *
 * @param status MedicationRequest.status code
 * @param categories prescription-category codes
 * @param authoredOn the day it was written, or {@code null}
 * @param supply its supply period, or {@code null} when days supply or start are missing
 * @param drug the drug
 * @param foreign true when it was written by another institution than the caller's
 * @param diagnosisCodes ICD-10 codes of its reasonCode
 */
public record PrescriptionFacts(String status, Set<String> categories, LocalDate authoredOn, SupplyPeriod supply,
    DrugFacts drug, boolean foreign, List<String> diagnosisCodes) {

  public PrescriptionFacts {
    categories = categories == null ? Set.of() : Set.copyOf(categories);
    diagnosisCodes = diagnosisCodes == null ? List.of() : List.copyOf(diagnosisCodes);
  }

  public boolean longTerm() {
    return categories.contains("long-term");
  }
}
