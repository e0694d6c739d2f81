package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code lianyao.security.enabled=false}, the benchmark's "gateway without security": requests need
 * no token, yet the gateway's own work still follows the consortium's rules, so the demo loads the
 * same data as the secured gateway (it once lost its extended prescriptions: the membership rule
 * was only registered with security on).
 */
@TestPropertySource(properties = "lianyao.security.enabled=false")
class SecurityOffIT extends PostgresIntegrationTest {

  @Test
  void openEndpointsAndTheFullDemo() {
    TestTokens.Response patients = TestTokens.get(baseUrl() + "/fhir/Patient?_count=1", null);
    assertThat(patients.status()).isEqualTo(200);

    String clinicNumber = IdentifierSystems.prescriptionNumberSystem("H50011200004") + "|YS2026DEMO0001";
    TestTokens.Response extended = TestTokens.get(baseUrl() + "/fhir/MedicationRequest?identifier="
        + URLEncoder.encode(clinicNumber, StandardCharsets.UTF_8), null);
    assertThat(extended.status()).isEqualTo(200);
    Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, extended.body());
    assertThat(bundle.getEntry()).singleElement().satisfies(e -> assertThat(((MedicationRequest) e.getResource())
        .getPriorPrescription().getReference()).startsWith("MedicationRequest/"));
  }
}
