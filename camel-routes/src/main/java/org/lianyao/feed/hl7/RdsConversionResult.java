package org.lianyao.feed.hl7;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;

/**
 * An RDS message converted to FHIR; see {@link RdeConversionResult} for how references work.
 *
 * @param sendingInstitution NHSA institution code from MSH-4 (the dispensing institution)
 * @param controlId MSH-10
 * @param triggerEvent MSH-9.2 (O13, O01)
 * @param patient the patient (PID)
 * @param practitioners dispensing providers (RXD-10) with a practitioner code
 * @param dispenses one per ORDER group, in message order, each with its traceability codes
 * @param warnings what was accepted but could not be mapped fully
 */
public record RdsConversionResult(String sendingInstitution, String controlId, String triggerEvent,
    Patient patient, List<Practitioner> practitioners, List<MedicationDispense> dispenses,
    List<ConversionWarning> warnings) {

  public RdsConversionResult {
    Objects.requireNonNull(patient, "patient");
    practitioners = List.copyOf(practitioners);
    dispenses = List.copyOf(dispenses);
    warnings = List.copyOf(warnings);
  }

  /**
   * A transaction: conditional create of the Patient and Practitioners, conditional update of each
   * MedicationDispense on its dispense-number identifier. Builds from copies on every call.
   */
  public Bundle toTransactionBundle() {
    Bundle bundle = TransactionBundles.newTransaction();
    TransactionBundles.conditionalCreate(bundle, patient.copy(), BundleKeys.patient(patient));
    for (Practitioner practitioner : practitioners) {
      TransactionBundles.conditionalCreate(bundle, practitioner.copy(), BundleKeys.practitioner(practitioner));
    }
    for (MedicationDispense dispense : dispenses) {
      TransactionBundles.conditionalUpdate(bundle, dispense.copy(), BundleKeys.medicationDispense(dispense));
    }
    return bundle;
  }
}
