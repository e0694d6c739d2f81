package org.lianyao.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Which updates are idempotent resubmissions that need no second validation. */
class ProfileEnforcementInterceptorTest {

  @Test
  void anUpdateDifferingOnlyInServerSetMetaIsTheSameContent() {
    MedicationRequest stored = prescription();
    stored.setId("MedicationRequest/7/_history/3");
    stored.getMeta().setVersionId("3").setLastUpdated(new java.util.Date(0));
    MedicationRequest resubmitted = prescription();
    resubmitted.setId("MedicationRequest/7");
    assertThat(ConformanceValidator.sameContent(stored, resubmitted)).isTrue();
  }

  @Test
  void aChangedElementOrADifferentProfileClaimIsNew() {
    MedicationRequest changed = prescription();
    changed.setStatus(MedicationRequest.MedicationRequestStatus.CANCELLED);
    assertThat(ConformanceValidator.sameContent(prescription(), changed)).isFalse();

    MedicationRequest otherProfile = prescription();
    otherProfile.getMeta().addProfile("http://example.org/StructureDefinition/other");
    assertThat(ConformanceValidator.sameContent(prescription(), otherProfile)).isFalse();

    assertThat(ConformanceValidator.sameContent(new Patient(), prescription())).isFalse();
  }

  private static MedicationRequest prescription() {
    MedicationRequest mr = new MedicationRequest();
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.getMeta().addProfile("http://lianyao.org/fhir/StructureDefinition/lianyao-medicationrequest");
    mr.addNote().setText("每日一次");
    return mr;
  }
}
