package org.lianyao.feed.hl7;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;

/**
 * An RDE message converted to FHIR. References between the resources are the {@code urn:uuid}
 * fullUrls of {@link #toTransactionBundle()}, so the result is meant to be submitted as that
 * transaction (the resources themselves carry no server ids).
 *
 * @param sendingInstitution NHSA institution code from MSH-4
 * @param controlId MSH-10
 * @param triggerEvent MSH-9.2 (O11, O25, O01)
 * @param patient the patient (PID)
 * @param practitioners ordering providers with a practitioner code, one per distinct code
 * @param orders one per ORDER group, in message order
 * @param warnings what was accepted but could not be mapped fully
 */
public record RdeConversionResult(String sendingInstitution, String controlId, String triggerEvent,
    Patient patient, List<Practitioner> practitioners, List<ConvertedOrder> orders,
    List<ConversionWarning> warnings) {

  public RdeConversionResult {
    Objects.requireNonNull(patient, "patient");
    practitioners = List.copyOf(practitioners);
    orders = List.copyOf(orders);
    warnings = List.copyOf(warnings);
  }

  /**
   * One ORDER group.
   *
   * @param orderControl ORC-1 (NW, CA, DC, XO, RF): XO and NW both give status active, so routes that
   *     must distinguish a change from a new order read it here
   * @param medicationRequest the order, with its Medication contained
   */
  public record ConvertedOrder(OrderControl orderControl, MedicationRequest medicationRequest) {}

  public List<MedicationRequest> medicationRequests() {
    return orders.stream().map(ConvertedOrder::medicationRequest).toList();
  }

  /**
   * A transaction: conditional create of the Patient and Practitioners, conditional update of each
   * MedicationRequest on its prescription-number identifier (see {@link TransactionBundles}). Each
   * call builds a new bundle from copies, so the result can be submitted more than once.
   */
  public Bundle toTransactionBundle() {
    Bundle bundle = TransactionBundles.newTransaction();
    TransactionBundles.conditionalCreate(bundle, patient.copy(), BundleKeys.patient(patient));
    for (Practitioner practitioner : practitioners) {
      TransactionBundles.conditionalCreate(bundle, practitioner.copy(), BundleKeys.practitioner(practitioner));
    }
    for (ConvertedOrder order : orders) {
      MedicationRequest request = order.medicationRequest();
      TransactionBundles.conditionalUpdate(bundle, request.copy(), BundleKeys.medicationRequest(request));
    }
    return bundle;
  }
}
