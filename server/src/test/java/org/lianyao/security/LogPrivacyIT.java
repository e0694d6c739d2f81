package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.security.SecurityFixtures.CLINIC;
import static org.lianyao.security.SecurityFixtures.LEAD;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Everything the gateway logs during a full scenario (its console output, as an operator's log
 * collector receives it) must hold no resident ID number, patient name or token in clear.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogPrivacyIT extends PostgresIntegrationTest {

  @Autowired
  SecurityAuditService audit;

  @Test
  void noResidentIdPatientNameOrTokenReachesTheLogs(CapturedOutput output) {
    SecurityFixtures fx = new SecurityFixtures(baseUrl(), fhirContext);
    String residentId = SecurityFixtures.residentId();
    String name = "欧阳" + "明" + (char) ('甲' + (int) (Math.random() * 20));
    String clinic = TestTokens.freshToken(baseUrl(), CLINIC);
    String lead = TestTokens.freshToken(baseUrl(), LEAD);

    // Register the patient, read it back, search for it by ID number and by name.
    String patientId = fx.createdId(fx.create(clinic, SecurityFixtures.patient(residentId, name)));
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient/" + patientId, lead).body()).contains(residentId);
    String byId = baseUrl() + "/fhir/Patient?identifier="
        + URLEncoder.encode(IdentifierSystems.RESIDENT_ID + "|" + residentId, StandardCharsets.UTF_8);
    assertThat(TestTokens.get(byId, lead).body()).contains(name);
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
        lead).status()).isEqualTo(200);
    // A bad request that echoes the ID number, and requests refused with tokens in hand.
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?birthdate=" + residentId, lead).status()).isEqualTo(400);
    String orgClinic = fx.orgId(CLINIC);
    MedicationRequest mr = SecurityFixtures.prescription(fx.orgId(LEAD), LEAD, patientId,
        fx.practitionerId(CLINIC, "D0401"));
    mr.setNote(List.of(new org.hl7.fhir.r4.model.Annotation().setText("患者 " + name + " 身份证 " + residentId)));
    assertThat(fx.create(clinic, mr).status()).isEqualTo(403);
    mr.getExtensionByUrl(org.lianyao.terminology.Extensions.PRESCRIBING_INSTITUTION)
        .setValue(new Reference("Organization/" + orgClinic));
    mr.getIdentifierFirstRep().setSystem(IdentifierSystems.prescriptionNumberSystem(CLINIC));
    assertThat(fx.create(clinic, mr).status()).isEqualTo(201);
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient/" + patientId, TestTokens.tamperSignature(lead)).status())
        .isEqualTo(401);
    assertThat(TestTokens.clientSecretTokenRequest(baseUrl(), CLINIC, "wrong-" + residentId, null).status())
        .isEqualTo(401);
    // Code that logs carelessly is masked too (this line is the masking's positive control).
    LoggerFactory.getLogger("org.lianyao.test.Careless").warn("careless: id {} token Bearer {} name-query ?name={}",
        residentId, lead, name);
    audit.flush(10_000);

    String logs = output.getAll();
    assertThat(logs).contains("careless: id " + residentId.substring(0, 6) + "***********" + residentId.charAt(17));
    assertThat(logs).contains("Access refused");
    assertThat(logs).doesNotContain(residentId);
    assertThat(logs).doesNotContain(name);
    assertThat(logs).doesNotContain(clinic).doesNotContain(lead);
    assertThat(logs).doesNotContain(clinic.substring(clinic.lastIndexOf('.') + 1));
    assertThat(logs).doesNotContain(TestTokens.DEMO_SECRET);
  }
}
