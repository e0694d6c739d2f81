package org.lianyao.shortage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;

/** 缺药登记 workflow over plain FHIR REST and the consortium report. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShortageWorkflowIT extends PostgresIntegrationTest {

  private static final String CLINIC = "H50011200004";
  private static final String TOWNSHIP = "H50011200003";
  private String clinicOrg;
  private String townshipOrg;

  @BeforeAll
  void fixtures() {
    clinicOrg = orgId(CLINIC);
    townshipOrg = orgId(TOWNSHIP);
  }

  private String orgId(String code) {
    Response r = TestTokens.get(baseUrl() + "/fhir/Organization?identifier=" + IdentifierSystems.NHSA_INSTITUTION_CODE
        + "%7C" + code, token("admin"));
    return fhirContext.newJsonParser().parseResource(Bundle.class, r.body()).getEntryFirstRep().getResource()
        .getIdElement().getIdPart();
  }

  private Response send(String method, String client, String path, SupplyRequest body) {
    return TestTokens.send(method, baseUrl() + "/fhir/" + path, token(client),
        body == null ? null : fhirContext.newJsonParser().encodeResourceToString(body));
  }

  private static SupplyRequest registration(String orgId, String drug) {
    SupplyRequest sr = new SupplyRequest();
    sr.setStatus(SupplyRequest.SupplyRequestStatus.ACTIVE);
    sr.setItem(new CodeableConcept().setText(drug));
    sr.setQuantity(new Quantity().setValue(10).setUnit("盒"));
    sr.setRequester(new Reference("Organization/" + orgId));
    sr.setAuthoredOn(new Date());
    return sr;
  }

  private OperationOutcome refused(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    return fhirContext.newJsonParser().parseResource(OperationOutcome.class, r.body());
  }

  @Test
  void registeredOrderedDeliveredAndNeverBack() {
    String drug = "测试缺药-" + UUID.randomUUID().toString().substring(0, 8);
    Response created = send("POST", CLINIC, "SupplyRequest", registration(clinicOrg, drug));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    SupplyRequest sr = fhirContext.newJsonParser().parseResource(SupplyRequest.class, created.body());
    assertThat(ShortageStatus.of(sr)).contains(ShortageStatus.REGISTERED);
    assertThat(sr.getExtensionsByUrl(ShortageStatus.EXTENSION)).hasSize(1);

    SupplyRequest done = registration(clinicOrg, drug);
    done.setStatus(SupplyRequest.SupplyRequestStatus.COMPLETED);
    assertThat(refused(send("POST", CLINIC, "SupplyRequest", done)).getIssueFirstRep().getDetails().getText())
        .contains("已登记");

    // Skipping "ordered" is refused; ordering then delivering is fine; going back is refused.
    ShortageStatus.DELIVERED.applyTo(sr);
    OperationOutcome skip = refused(send("PUT", CLINIC, "SupplyRequest/" + sr.getIdElement().getIdPart(), sr));
    assertThat(skip.getIssueFirstRep().getDetails().getText()).contains("已登记").contains("已到货").contains("已采购");
    ShortageStatus.ORDERED.applyTo(sr);
    Response ordered = send("PUT", CLINIC, "SupplyRequest/" + sr.getIdElement().getIdPart(), sr);
    assertThat(ordered.status()).as(ordered.body()).isEqualTo(200);
    ShortageStatus.REGISTERED.applyTo(sr);
    refused(send("PUT", CLINIC, "SupplyRequest/" + sr.getIdElement().getIdPart(), sr));
    ShortageStatus.CANCELLED.applyTo(sr);
    assertThat(send("PUT", CLINIC, "SupplyRequest/" + sr.getIdElement().getIdPart(), sr).status()).isEqualTo(200);
  }

  @Test
  void reportCountsRegistrationsAndMarksCatalogCandidates() {
    String frequent = "测试常缺药-" + UUID.randomUUID().toString().substring(0, 8);
    String rare = "测试偶缺药-" + UUID.randomUUID().toString().substring(0, 8);
    for (String client : new String[] {CLINIC, CLINIC, TOWNSHIP}) {
      String org = client.equals(CLINIC) ? clinicOrg : townshipOrg;
      assertThat(send("POST", client, "SupplyRequest", registration(org, frequent)).status()).isEqualTo(201);
    }
    assertThat(send("POST", CLINIC, "SupplyRequest", registration(clinicOrg, rare)).status()).isEqualTo(201);
    // A cancelled registration does not count.
    Response cancelledLater = send("POST", CLINIC, "SupplyRequest", registration(clinicOrg, rare));
    SupplyRequest c = fhirContext.newJsonParser().parseResource(SupplyRequest.class, cancelledLater.body());
    ShortageStatus.CANCELLED.applyTo(c);
    assertThat(send("PUT", CLINIC, "SupplyRequest/" + c.getIdElement().getIdPart(), c).status()).isEqualTo(200);

    int year = LocalDate.now().getYear();
    Response r = TestTokens.get(baseUrl() + "/fhir/SupplyRequest/$shortage-report?period=" + year + "-01-01/" + year
        + "-12-31", token("committee"), java.util.Map.of("Cache-Control", "no-cache"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Parameters report = fhirContext.newJsonParser().parseResource(Parameters.class, r.body());
    Parameters.ParametersParameterComponent f = drug(report, frequent);
    assertThat(part(f, "registrations")).isEqualTo("3");
    assertThat(part(f, "institutions")).isEqualTo("2");
    assertThat(part(f, "candidate")).isEqualTo("true");
    Parameters.ParametersParameterComponent o = drug(report, rare);
    assertThat(part(o, "registrations")).isEqualTo("1");
    assertThat(part(o, "candidate")).isEqualTo("false");

    Response bad = TestTokens.get(baseUrl() + "/fhir/SupplyRequest/$shortage-report?period=last-year", token("committee"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("统计期间");
  }

  private static Parameters.ParametersParameterComponent drug(Parameters report, String name) {
    return report.getParameter().stream().filter(p -> "drug".equals(p.getName()))
        .filter(p -> name.equals(part(p, "name"))).findFirst().orElseThrow(() -> new AssertionError(name + " not in report"));
  }

  private static String part(Parameters.ParametersParameterComponent p, String name) {
    return p.getPart().stream().filter(x -> name.equals(x.getName())).findFirst()
        .map(x -> x.getValue().primitiveValue()).orElse(null);
  }
}
