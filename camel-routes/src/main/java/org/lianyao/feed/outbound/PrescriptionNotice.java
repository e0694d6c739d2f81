package org.lianyao.feed.outbound;

import java.util.Objects;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;

/**
 * A change to a prescription that concerns another member institution, to be told to that
 * institution's HIS.
 *
 * @param kind what happened
 * @param targetInstitution NHSA code of the institution to tell
 * @param prescribingInstitution NHSA code of the institution whose prescription changed
 * @param request the changed MedicationRequest (as stored)
 * @param created true when the request was just created (not updated)
 * @param patient its patient, or null when it cannot be read
 * @param original for {@link Kind#EXTENSION}: the original prescription's number (system = the
 *     original institution's prescription-number system), or null
 */
public record PrescriptionNotice(Kind kind, String targetInstitution, String prescribingInstitution,
    MedicationRequest request, boolean created, Patient patient, Identifier original) {

  /** What happened. */
  public enum Kind {
    /**
     * 延伸处方: a prescription based on one of the target institution's prescriptions was created or
     * changed (the target is the original's institution).
     */
    EXTENSION,
    /**
     * An original prescription was cancelled or stopped; the target institution holds extensions of
     * it.
     */
    ORIGINAL_ENDED
  }

  public PrescriptionNotice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(targetInstitution, "targetInstitution");
    Objects.requireNonNull(request, "request");
  }
}
