package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.prescription.PrescriptionFixtures.HOSPITAL;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens.Response;

/**
 * A HIS that prefers FHIR learns of prescription changes through a rest-hook Subscription (HAPI's
 * subscription module): the change is delivered to its endpoint, here a real HTTP server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrescriptionSubscriptionIT extends PostgresIntegrationTest {

  /** What the HIS endpoint received: "METHOD path" and the body. */
  record Delivery(String request, String body) {}

  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private PrescriptionFixtures fx;
  private HttpServer his;
  private String subscriptionId;

  @BeforeAll
  void hisEndpoint() throws IOException {
    fx = new PrescriptionFixtures(baseUrl(), fhirContext);
    his = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    his.createContext("/his", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      deliveries.add(new Delivery(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), body));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    his.start();
  }

  @AfterAll
  void stop() {
    if (subscriptionId != null) {
      // Later tests share the gateway: no deliveries to an endpoint that is gone.
      Response deleted = fx.delete("admin", "Subscription/" + subscriptionId);
      assertThat(deleted.status()).as(deleted.body()).isBetween(200, 204);
    }
    his.stop(0);
  }

  @Test
  void aNewPrescriptionIsDeliveredToTheSubscribedHis() throws Exception {
    String number = PrescriptionFixtures.number();
    String system = IdentifierSystems.prescriptionNumberSystem(HOSPITAL);
    Subscription subscription = new Subscription();
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("处方变更通知（测试 HIS）");
    subscription.setCriteria("MedicationRequest?identifier=" + PrescriptionFixtures.enc(system + "|" + number));
    subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint("http://127.0.0.1:" + his.getAddress().getPort() + "/his")
        .setPayload("application/fhir+json");
    subscriptionId = fx.ok(Subscription.class, fx.post("admin", "Subscription", subscription))
        .getIdElement().getIdPart();
    awaitActive(subscriptionId);

    MedicationRequest mr = PrescriptionFixtures.prescription(fx.orgId(HOSPITAL), HOSPITAL, number,
        "Patient/" + fx.firstId("Patient?identifier=" + PrescriptionFixtures.enc(IdentifierSystems.RESIDENT_ID + "|500112195603120119")),
        fx.practitionerId(HOSPITAL, "D0101"), 28, 0);
    mr.setMedication(new CodeableConcept().setText("苯磺酸氨氯地平片"));
    String mrId = fx.ok(MedicationRequest.class, fx.post(HOSPITAL, "MedicationRequest", mr)).getIdElement().getIdPart();

    Delivery delivery = deliveries.poll(60, TimeUnit.SECONDS);
    assertThat(delivery).as("rest-hook delivery within a minute").isNotNull();
    assertThat(delivery.request()).isEqualTo("PUT /his/MedicationRequest/" + mrId);
    MedicationRequest delivered = fhirContext.newJsonParser().parseResource(MedicationRequest.class, delivery.body());
    assertThat(delivered.getIdentifierFirstRep().getValue()).isEqualTo(number);
  }

  private void awaitActive(String id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    Subscription.SubscriptionStatus status = null;
    while (System.currentTimeMillis() < deadline) {
      Response r = fx.get("admin", "Subscription/" + id);
      status = fx.ok(Subscription.class, r).getStatus();
      if (status == Subscription.SubscriptionStatus.ACTIVE) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Subscription/" + id + " not active within a minute: " + status);
  }
}
