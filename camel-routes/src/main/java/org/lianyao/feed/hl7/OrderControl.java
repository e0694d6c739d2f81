package org.lianyao.feed.hl7;

import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;

/**
 * ORC-1 order control codes (HL7 table 0119) that the RDE feed accepts, with the MedicationRequest
 * status they produce. NW/CA/DC/XO follow the HL7 V2-to-FHIR ORC → MedicationRequest mapping; RF
 * (refill request) is Lianyao's addition because it is the order control of RDE^O25 (续方, e.g. a
 * long-term prescription renewed at a grassroots clinic). Any other code is rejected (AE, 103):
 * codes such as HD (hold) or SC (status changed) carry meaning Lianyao cannot represent faithfully
 * yet, and silently mapping them would misstate a prescription's state across the consortium.
 */
public enum OrderControl {
  /** New order. */
  NW(MedicationRequestStatus.ACTIVE),
  /** Cancel order request. */
  CA(MedicationRequestStatus.CANCELLED),
  /** Discontinue order request. */
  DC(MedicationRequestStatus.STOPPED),
  /** Change order request: the order stays active with the new content. */
  XO(MedicationRequestStatus.ACTIVE),
  /** Refill order request (RDE^O25). */
  RF(MedicationRequestStatus.ACTIVE);

  private final MedicationRequestStatus status;

  OrderControl(MedicationRequestStatus status) {
    this.status = status;
  }

  public MedicationRequestStatus status() {
    return status;
  }

  public static Optional<OrderControl> fromCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(code.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
