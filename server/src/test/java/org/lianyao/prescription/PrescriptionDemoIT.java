package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.prescription.PrescriptionFixtures.enc;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;

/** The demo prescriptions are there: hospital prescriptions, recognitions, extensions, a shortage. */
class PrescriptionDemoIT extends PostgresIntegrationTest {

  @Test
  void demoPrescriptionsRecognitionsExtensionsAndAShortage() {
    PrescriptionFixtures fx = new PrescriptionFixtures(baseUrl(), fhirContext);
    // 张伟 (hypertension) at the village clinic: the hospital's amlodipine, recognised there.
    Bundle view = fx.ok(Bundle.class, fx.get(PrescriptionFixtures.CLINIC, "Patient/$shared-prescriptions?identifier=500112195603120119"));
    MedicationRequest amlodipine = view.getEntry().stream().filter(e -> e.getResource() instanceof MedicationRequest)
        .map(e -> (MedicationRequest) e.getResource())
        .filter(mr -> "CF2026DEMO0001".equals(mr.getIdentifierFirstRep().getValue())).findFirst().orElseThrow();
    Extension v = amlodipine.getExtensionByUrl(PrescriptionCodes.EXT_SHARED_VIEW);
    assertThat(v.getExtensionsByUrl(PrescriptionCodes.View.RECOGNITION)).isNotEmpty();

    Bundle extended = fx.ok(Bundle.class, fx.get("admin", "MedicationRequest?identifier="
        + enc(IdentifierSystems.prescriptionNumberSystem(PrescriptionFixtures.CLINIC) + "|YS2026DEMO0001")));
    assertThat(extended.getEntry()).singleElement().satisfies(e -> assertThat(((MedicationRequest) e.getResource())
        .getPriorPrescription().getReference()).isEqualTo("MedicationRequest/" + amlodipine.getIdElement().getIdPart()));

    Bundle longTerm = fx.ok(Bundle.class, fx.get("admin", "MedicationRequest?identifier="
        + enc(IdentifierSystems.prescriptionNumberSystem(PrescriptionFixtures.COMMUNITY) + "|YS2026DEMO0002")));
    assertThat(longTerm.getEntry()).singleElement().satisfies(e -> assertThat(((MedicationRequest) e.getResource())
        .getCategory()).extracting(c -> c.getCodingFirstRep().getCode()).contains("extended", "long-term"));

    Bundle shortages = fx.ok(Bundle.class, fx.get("admin", "SupplyRequest?requester=Organization/"
        + fx.orgId(PrescriptionFixtures.CLINIC) + "&_count=100"));
    assertThat(shortages.getEntry()).anySatisfy(e -> assertThat(((SupplyRequest) e.getResource())
        .getReasonCodeFirstRep().getText()).contains("噻托溴铵粉雾剂"));
  }
}
