package org.lianyao.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestTokens;

/**
 * Outbound notices with store-and-forward: the county hospital's HIS is down while a village
 * clinic extends (延伸) and then cancels an extension of its prescription; when the HIS comes back
 * it receives both notices, in order. Cancelling the original tells the clinic.
 */
class FeedOutboundNoticeIT extends FeedIntegrationTest {

  /** Searches are polled: HAPI must not answer them from its search cache. */
  private static final CacheControlDirective NO_CACHE = new CacheControlDirective().setNoCache(true);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Charset GB18030 = Charset.forName("GB18030");

  @Test
  void aHisThatIsDownReceivesEveryNoticeInOrderWhenItReturns() throws Exception {
    String u = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    String prefix = "CO" + u;
    // The original prescription, from the hospital's HIS over MLLP.
    String original = Hl7TestMessages.uniqueRde("gb18030", "OR" + u, prefix);
    try (MllpTestClient mllp = mllpClient()) {
      assertThat(mllp.send(original.getBytes(GB18030), GB18030).code()).isEqualTo("AA");
    }
    MedicationRequest hospital = request(LEAD, prefix + "01");

    // Notices queued before this test (the demo's own extensions) are delivered too; the
    // assertions look at this test's prescriptions only.
    long before = outbound(LEAD).get("total").asLong();

    // The village clinic continues it (延伸处方), over FHIR REST with its own token.
    MedicationRequest extension = extensionOf(hospital, "YS" + u);
    String extensionId = fhirClient(VILLAGE).create().resource(extension).execute().getId().getIdPart();

    // The hospital's HIS is down: the notice waits, PENDING, and delivery is retried.
    JsonNode pending = awaitMessages(LEAD, "OUT", page -> page.get("total").asLong() >= before + 1
        && oldest(page).get("attempts").asInt() >= 1);
    assertThat(oldest(pending).get("status").asText()).isEqualTo("PENDING");
    assertThat(oldest(pending).get("error").asText()).contains("不可达");

    // Meanwhile the clinic cancels its extension: a second notice, behind the first.
    MedicationRequest stored = fhirClient(VILLAGE).read().resource(MedicationRequest.class).withId(extensionId).execute();
    stored.setStatus(MedicationRequestStatus.CANCELLED);
    stored.setStatusReason(new CodeableConcept().setText("患者改用他药"));
    fhirClient(VILLAGE).update().resource(stored).execute();
    awaitMessages(LEAD, "OUT", page -> page.get("total").asLong() >= before + 2);

    try (TestHisServer his = new TestHisServer(hisMllpPort())) {
      await(() -> about(forInstitution(his, LEAD), "YS" + u).size() >= 2);
      List<String> notices = about(forInstitution(his, LEAD), "YS" + u);
      assertThat(notices).hasSize(2);
      assertThat(orderControl(notices.get(0))).isEqualTo("NW");
      assertThat(orderControl(notices.get(1))).isEqualTo("CA");
      assertThat(notices.get(0)).contains("YS" + u + "^" + VILLAGE, "|" + prefix + "01&" + LEAD + "|", "张伟",
          "联药通知", "GB 18030-2000");
      assertThat(notices.get(1)).contains("患者改用他药");
      // Everything queued for the hospital went out, in queue order.
      JsonNode sent = awaitMessages(LEAD, "OUT", page -> countStatus(page, "SENT") == page.get("total").asLong());
      assertThat(sent.get("total").asLong()).isGreaterThanOrEqualTo(before + 2);
      List<String> received = forInstitution(his, LEAD);
      assertThat(received.indexOf(notices.get(0))).isLessThan(received.indexOf(notices.get(1)));

      // The hospital cancels its original: the clinic holding an extension is told.
      String cancel = original.replace("ORC|NW|" + prefix + "01", "ORC|CA|" + prefix + "01")
          .replace("OR" + u, "OC" + u);
      try (MllpTestClient mllp = mllpClient()) {
        assertThat(mllp.send(cancel.getBytes(GB18030), GB18030).code()).isEqualTo("AA");
      }
      await(() -> about(forInstitution(his, VILLAGE), prefix + "01^").size() >= 1);
      String toClinic = about(forInstitution(his, VILLAGE), prefix + "01^").get(0);
      assertThat(orderControl(toClinic)).isEqualTo("CA");
      assertThat(toClinic).contains(prefix + "01^" + LEAD, "贵院据此开具的延伸处方请复核");
    }
  }

  private MedicationRequest extensionOf(MedicationRequest original, String number) {
    MedicationRequest ext = original.copy();
    ext.setId((String) null);
    ext.setMeta(null);
    ext.getExtension().clear();
    ext.addExtension(new Extension(Extensions.PRESCRIBING_INSTITUTION,
        new Reference("Organization/" + organizationId(VILLAGE))));
    ext.getIdentifier().clear();
    ext.addIdentifier(new Identifier().setSystem(IdentifierSystems.prescriptionNumberSystem(VILLAGE)).setValue(number));
    ext.setGroupIdentifier(null);
    ext.getCategory().clear();
    ext.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY, "extended", "延伸处方")));
    ext.addBasedOn(new Reference("MedicationRequest/" + original.getIdElement().getIdPart()));
    ext.setRequester(new Reference("Practitioner/" + practitionerId(VILLAGE, "D0401")));
    return ext;
  }

  private String organizationId(String code) {
    Bundle b = fhirClient().search().forResource(Organization.class)
        .where(Organization.IDENTIFIER.exactly().systemAndCode(IdentifierSystems.NHSA_INSTITUTION_CODE, code))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  private String practitionerId(String institution, String code) {
    Bundle b = fhirClient().search().forResource(Practitioner.class)
        .where(Practitioner.IDENTIFIER.exactly().systemAndCode(IdentifierSystems.practitionerCodeSystem(institution), code))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  private MedicationRequest request(String institution, String number) {
    Bundle b = fhirClient().search().forResource(MedicationRequest.class)
        .where(MedicationRequest.IDENTIFIER.exactly()
            .systemAndCode(IdentifierSystems.prescriptionNumberSystem(institution), number))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    assertThat(b.getEntry()).hasSize(1);
    return (MedicationRequest) b.getEntryFirstRep().getResource();
  }

  /** Messages received for an institution (MSH-6), in arrival order. */
  private static List<String> forInstitution(TestHisServer his, String institution) {
    return his.texts(GB18030).stream().filter(t -> t.startsWith("MSH|^~\\&|LIANYAO|LIANYAO|HIS|" + institution + "|"))
        .toList();
  }

  private static List<String> about(List<String> messages, String text) {
    return messages.stream().filter(m -> m.contains(text)).toList();
  }

  /** The oldest message of a page (pages are newest first). */
  private static JsonNode oldest(JsonNode page) {
    JsonNode items = page.get("items");
    return items.get(items.size() - 1);
  }

  private JsonNode outbound(String channel) throws Exception {
    TestTokens.Response r = TestTokens.get(baseUrl() + "/api/messages?channel=" + channel + "&direction=OUT&size=500",
        token("admin"));
    return JSON.readTree(r.body());
  }

  private static String orderControl(String message) {
    for (String segment : message.split("\r")) {
      if (segment.startsWith("ORC|")) {
        return segment.split("\\|")[1];
      }
    }
    return null;
  }

  private static long countStatus(JsonNode page, String status) {
    long n = 0;
    for (JsonNode item : page.get("items")) {
      if (status.equals(item.get("status").asText())) {
        n++;
      }
    }
    return n;
  }

  private JsonNode awaitMessages(String channel, String direction, java.util.function.Predicate<JsonNode> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      TestTokens.Response r = TestTokens.get(baseUrl() + "/api/messages?channel=" + channel + "&direction=" + direction
          + "&size=500", token("admin"));
      JsonNode page = JSON.readTree(r.body());
      if (condition.test(page)) {
        return page;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("outbound messages not as expected: " + page);
      }
      Thread.sleep(300);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(300);
    }
  }
}
