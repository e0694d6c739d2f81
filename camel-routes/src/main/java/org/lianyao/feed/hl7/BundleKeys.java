package org.lianyao.feed.hl7;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.lianyao.terminology.IdentifierSystems;

/**
 * The identifier each resource type is matched on in the transaction (system|value only; assigner
 * and type are not part of the match). The mappers put the key identifier first, and references
 * between entries are computed from the same keys.
 */
final class BundleKeys {

  private BundleKeys() {}

  /** The resident ID when present, else the local record number. */
  static Identifier patient(Patient patient) {
    for (Identifier identifier : patient.getIdentifier()) {
      if (IdentifierSystems.RESIDENT_ID.equals(identifier.getSystem())) {
        return key(identifier);
      }
    }
    return key(patient.getIdentifierFirstRep());
  }

  static Identifier practitioner(Practitioner practitioner) {
    return key(practitioner.getIdentifierFirstRep());
  }

  /** The placer (PLAC) number, else the filler (FILL) number: the first identifier. */
  static Identifier medicationRequest(MedicationRequest request) {
    return key(request.getIdentifierFirstRep());
  }

  static Identifier medicationDispense(MedicationDispense dispense) {
    return key(dispense.getIdentifierFirstRep());
  }

  private static Identifier key(Identifier identifier) {
    return new Identifier().setSystem(identifier.getSystem()).setValue(identifier.getValue());
  }
}
