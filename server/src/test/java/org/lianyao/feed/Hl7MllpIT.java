package org.lianyao.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;

/**
 * The HL7 v2 feed end to end: real MLLP sockets, the whole gateway on PostgreSQL, the admin API.
 */
class Hl7MllpIT extends FeedIntegrationTest {

  /** Searches are polled: HAPI must not answer them from its search cache. */
  private static final CacheControlDirective NO_CACHE = new CacheControlDirective().setNoCache(true);

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
  }

  private MllpTestClient client() {
    return mllpClient();
  }

  @Test
  void gb18030PrescriptionIsAcknowledgedAndStoredWithChineseNamesAndAResendCreatesNothing() throws Exception {
    String u = unique();
    String controlId = "GB" + u;
    String prefix = "CF" + u;
    byte[] raw = Hl7TestMessages.uniqueRde("gb18030", controlId, prefix).getBytes(Hl7TestMessages.GB18030);

    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(raw, Hl7TestMessages.GB18030);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
      assertThat(ack.controlId()).isEqualTo(controlId);

      MedicationRequest metformin = prescription(prefix + "01");
      Medication drug = (Medication) metformin.getContained().get(0);
      assertThat(drug.getCode().getText()).isEqualTo("盐酸二甲双胍片");
      Patient patient = fhirClient().read().resource(Patient.class)
          .withId(metformin.getSubject().getReferenceElement()).execute();
      assertThat(patient.getNameFirstRep().getText()).isEqualTo("张伟");
      assertThat(metformin.getExtensionByUrl("http://lianyao.org/fhir/StructureDefinition/prescribing-institution"))
          .isNotNull();
      String version = metformin.getMeta().getVersionId();

      // The stored message: PROCESSED, its raw bytes decoded with GB18030 give back the names.
      JsonNode stored = onlyMessage(LEAD, controlId);
      assertThat(stored.get("status").asText()).isEqualTo("PROCESSED");
      assertThat(stored.get("charset").asText()).isEqualTo("GB18030");
      assertThat(stored.get("resultIds").toString()).contains("MedicationRequest/" + metformin.getIdElement().getIdPart());
      JsonNode detail = json(TestTokens.get(baseUrl() + "/api/messages/" + stored.get("id").asLong(), token("admin")));
      assertThat(detail.get("text").asText()).contains("张伟", "盐酸二甲双胍片");
      assertThat(java.util.Base64.getDecoder().decode(detail.get("rawBase64").asText())).isEqualTo(raw);

      // The same control id again: AA, nothing new (no second request, no new version).
      MllpTestClient.Ack again = mllp.send(raw, Hl7TestMessages.GB18030);
      assertThat(again.code()).isEqualTo("AA");
      assertThat(countPrescriptions(prefix + "01")).isEqualTo(1);
      assertThat(prescription(prefix + "01").getMeta().getVersionId()).isEqualTo(version);
      assertThat(onlyMessage(LEAD, controlId).get("id").asLong()).isEqualTo(stored.get("id").asLong());
    }
  }

  @Test
  void utf8MessageKeepsChineseNamesByteForByte() throws Exception {
    String u = unique();
    String prefix = "CU" + u;
    byte[] raw = Hl7TestMessages.uniqueRde("utf8", "U8" + u, prefix).getBytes(StandardCharsets.UTF_8);
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(raw, StandardCharsets.UTF_8);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
    }
    MedicationRequest amlodipine = prescription(prefix + "02");
    assertThat(((Medication) amlodipine.getContained().get(0)).getCode().getText()).isEqualTo("苯磺酸氨氯地平片");
    assertThat(onlyMessage(LEAD, "U8" + u).get("charset").asText()).isEqualTo("UTF-8");
  }

  @Test
  void dispenseReportBecomesADispenseWithItsTraceabilityCodes() throws Exception {
    String u = unique();
    String text = Hl7TestMessages.edit(Hl7TestMessages.text("gb18030", "rds-o13"), Map.of(
        "RDS20261121150000004", "DS" + u,
        "FY2026112100040001^", "FY" + u + "1^",
        "FY2026112100040002^", "FY" + u + "2^"));
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(text.getBytes(Hl7TestMessages.GB18030), Hl7TestMessages.GB18030);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
    }
    Bundle found = fhirClient().search().forResource(MedicationDispense.class)
        .where(MedicationDispense.IDENTIFIER.exactly()
            .systemAndCode("http://lianyao.org/fhir/sid/dispense-number/H50011200003", "FY" + u + "1-1"))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    assertThat(found.getEntry()).hasSize(1);
    MedicationDispense dispense = (MedicationDispense) found.getEntryFirstRep().getResource();
    assertThat(((Medication) dispense.getContained().get(0)).getCode().getText()).isEqualTo("苯磺酸氨氯地平片");
    assertThat(dispense.getExtensionsByUrl("http://lianyao.org/fhir/StructureDefinition/traceability-code")).hasSize(2);
    assertThat(onlyMessage("H50011200003", "DS" + u).get("status").asText()).isEqualTo("PROCESSED");
  }

  @Test
  void garbledMessageIsRejectedAndListedAsFailed() throws Exception {
    String u = unique();
    // A GB18030 message whose bytes are broken in the middle of a name, declared as UTF-8 and invalid in both.
    byte[] good = Hl7TestMessages.uniqueRde("gb18030", "BAD" + u, "CB" + u).getBytes(Hl7TestMessages.GB18030);
    byte[] raw = new byte[good.length + 2];
    System.arraycopy(good, 0, raw, 0, good.length);
    raw[good.length] = (byte) 0xFF;
    raw[good.length + 1] = (byte) 0xFE;
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(raw, Hl7TestMessages.GB18030);
      assertThat(ack.code()).as(ack.text()).isIn("AR", "AE");
    }
    JsonNode failed = onlyMessage(LEAD, "BAD" + u);
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("statusText").asText()).isEqualTo("失败");
    assertThat(failed.get("error").asText()).isNotBlank();
    JsonNode byStatus = json(TestTokens.get(baseUrl() + "/api/messages?status=FAILED&controlId=BAD" + u, token("admin")));
    assertThat(byStatus.get("total").asLong()).isEqualTo(1);
  }

  @Test
  void unknownFacilityIsAnsweredAe204AndProcessedByReplayAfterTheAliasIsAdded() throws Exception {
    String u = unique();
    String alias = "RMYY-" + u;
    String prefix = "CA" + u;
    String text = Hl7TestMessages.uniqueRde("gb18030", "AL" + u, prefix)
        .replace("MSH|^~\\&|HIS|" + LEAD + "|", "MSH|^~\\&|HIS|" + alias + "|");
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(text.getBytes(Hl7TestMessages.GB18030), Hl7TestMessages.GB18030);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AE");
      assertThat(ack.errorCode()).isEqualTo("204");
    }
    JsonNode failed = onlyMessage(alias, "AL" + u);
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("errorCode").asText()).isEqualTo("204");
    assertThat(countPrescriptions(prefix + "01")).isZero();

    Response put = TestTokens.send("PUT", baseUrl() + "/api/feeds/facility-aliases/" + alias, token("admin"),
        "{\"institution\":\"" + LEAD + "\"}");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Response replay = TestTokens.send("POST", baseUrl() + "/api/messages/" + failed.get("id").asLong() + "/replay",
        token("admin"), null);
    assertThat(replay.status()).as(replay.body()).isEqualTo(200);
    assertThat(json(replay).get("status").asText()).isEqualTo("REPLAYED");
    assertThat(countPrescriptions(prefix + "01")).isEqualTo(1);

    // A processed message is not replayed again.
    Response second = TestTokens.send("POST", baseUrl() + "/api/messages/" + failed.get("id").asLong() + "/replay",
        token("admin"), null);
    assertThat(second.status()).isEqualTo(409);
    assertThat(json(second).get("error").asText()).contains("不能重放");
  }

  @Test
  void prescriptionWithoutDiagnosisIsAnsweredAeAndKept() throws Exception {
    String u = unique();
    String text = Hl7TestMessages.edit(Hl7TestMessages.uniqueRde("utf8", "ND" + u, "CN" + u),
        Map.of("|E11.900^2型糖尿病^ICD10", "|", "|I10.X00^高血压^ICD10", "|"));
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AE");
      assertThat(ack.text()).contains("ERR|");
    }
    JsonNode failed = onlyMessage(LEAD, "ND" + u);
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").asText()).contains("reasonCode");
    assertThat(countPrescriptions("CN" + u + "01")).isZero();
  }

  @Test
  void ordersOfAnotherInstitutionAreRefused() throws Exception {
    String u = unique();
    // ORC-2.2 names the community centre as issuer: the lead hospital's channel may not write it.
    String text = Hl7TestMessages.uniqueRde("utf8", "OW" + u, "CO" + u)
        .replace("CO" + u + "01^" + LEAD, "CO" + u + "01^H50011200002");
    try (MllpTestClient mllp = client()) {
      MllpTestClient.Ack ack = mllp.send(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertThat(ack.code()).as(ack.text()).isEqualTo("AE");
      assertThat(ack.errorCode()).isEqualTo("204");
    }
    assertThat(onlyMessage(LEAD, "OW" + u).get("status").asText()).isEqualTo("FAILED");
  }

  @Test
  void theAdminApiIsForAdministratorsOnly() {
    assertThat(TestTokens.get(baseUrl() + "/api/messages", null).status()).isEqualTo(401);
    assertThat(TestTokens.get(baseUrl() + "/api/messages", token(LEAD)).status()).isEqualTo(403);
    assertThat(TestTokens.get(baseUrl() + "/api/messages", token("committee")).status()).isEqualTo(403);
    assertThat(TestTokens.send("POST", baseUrl() + "/api/messages/1/replay", token(LEAD), null).status()).isEqualTo(403);
    assertThat(TestTokens.get(baseUrl() + "/api/messages", token("admin")).status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------

  private MedicationRequest prescription(String orderNumber) {
    Bundle found = fhirClient().search().forResource(MedicationRequest.class)
        .where(MedicationRequest.IDENTIFIER.exactly()
            .systemAndCode(IdentifierSystems.prescriptionNumberSystem(LEAD), orderNumber))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    assertThat(found.getEntry()).as("MedicationRequest " + orderNumber).hasSize(1);
    return (MedicationRequest) found.getEntryFirstRep().getResource();
  }

  private int countPrescriptions(String orderNumber) {
    return fhirClient().search().forResource(MedicationRequest.class)
        .where(MedicationRequest.IDENTIFIER.exactly()
            .systemAndCode(IdentifierSystems.prescriptionNumberSystem(LEAD), orderNumber))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute().getEntry().size();
  }

  private JsonNode onlyMessage(String channel, String controlId) throws Exception {
    JsonNode page = json(TestTokens.get(baseUrl() + "/api/messages?channel=" + channel + "&controlId=" + controlId,
        token("admin")));
    assertThat(page.get("total").asLong()).as("messages %s/%s: %s", channel, controlId, page).isEqualTo(1);
    return page.get("items").get(0);
  }

  private static JsonNode json(Response response) throws Exception {
    assertThat(response.status()).as(response.body()).isBetween(200, 499);
    return JSON.readTree(response.body());
  }
}
