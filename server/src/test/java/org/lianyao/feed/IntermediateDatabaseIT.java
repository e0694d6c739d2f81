package org.lianyao.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestTokens;

/**
 * Intermediate-database polling (中间库) against a second PostgreSQL database playing the HIS:
 * rows become prescriptions exactly once, a failing row does not block the others, a changed row
 * is processed again, a row committed late (stamped behind the watermark) is still found.
 */
class IntermediateDatabaseIT extends FeedIntegrationTest {

  /** Searches are polled: HAPI must not answer them from its search cache. */
  private static final CacheControlDirective NO_CACHE = new CacheControlDirective().setNoCache(true);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
  }

  @Test
  void insertedRowsBecomePrescriptionsExactlyOnce() throws Exception {
    String u = unique();
    List<String> numbers = List.of("MZ" + u + "A", "MZ" + u + "B", "MZ" + u + "C");
    for (String number : numbers) {
      insertPrescription(number, "NW", LocalDateTime.now());
    }
    await(() -> numbers.stream().allMatch(n -> count(n + "-1") == 1 && count(n + "-2") == 1));
    MedicationRequest first = request(numbers.get(0) + "-1");
    assertThat(((Medication) first.getContained().get(0)).getCode().getText()).isEqualTo("苯磺酸氨氯地平片");
    assertThat(first.getGroupIdentifier().getValue()).isEqualTo(numbers.get(0));
    assertThat(first.getReasonCodeFirstRep().getText()).isEqualTo("高血压");

    // More polls pass: nothing is processed twice.
    Thread.sleep(3_000);
    for (String number : numbers) {
      assertThat(count(number + "-1")).isEqualTo(1);
    }
    JsonNode stored = messages("&status=PROCESSED");
    long processedOfRun = 0;
    for (JsonNode item : stored.get("items")) {
      if (item.get("controlId").asText().startsWith("MZ" + u)) {
        processedOfRun++;
        assertThat(item.get("protocol").asText()).isEqualTo("SQL");
      }
    }
    assertThat(processedOfRun).isEqualTo(3);
  }

  @Test
  void aFailingRowIsStoredAsFailedAndDoesNotBlockTheRest() throws Exception {
    String u = unique();
    String bad = "MZ" + u + "X";
    String good = "MZ" + u + "Y";
    LocalDateTime now = LocalDateTime.now();
    insertPrescription(bad, "9", now);
    insertPrescription(good, "NW", now.plusSeconds(1));
    await(() -> count(good + "-1") == 1);
    JsonNode failed = await(() -> messages("&status=FAILED"), page -> find(page, bad) != null);
    assertThat(find(failed, bad).get("error").asText()).contains("status");
    assertThat(count(bad + "-1")).isZero();

    // The HIS corrects the row: a new version (new updated_at) is processed.
    execute("update his_prescription set status = '有效', updated_at = ? where prescription_no = ?",
        Timestamp.valueOf(LocalDateTime.now()), bad);
    await(() -> count(bad + "-1") == 1);
  }

  @Test
  void aCancelledRowCancelsTheSamePrescriptionAndALateRowIsFound() throws Exception {
    String u = unique();
    String number = "MZ" + u + "C";
    insertPrescription(number, "NW", LocalDateTime.now());
    await(() -> count(number + "-1") == 1);

    execute("update his_prescription set status = 'CA', updated_at = ? where prescription_no = ?",
        Timestamp.valueOf(LocalDateTime.now()), number);
    await(() -> request(number + "-1").getStatus() == MedicationRequestStatus.CANCELLED);
    assertThat(count(number + "-1")).isEqualTo(1);

    // Committed now but stamped 20 s ago, behind the watermark: the look-back scan finds it.
    String late = "MZ" + u + "L";
    insertPrescription(late, "NW", LocalDateTime.now().minusSeconds(20));
    await(() -> count(late + "-1") == 1);
  }

  // ---------------------------------------------------------------------------------------------

  private void insertPrescription(String number, String status, LocalDateTime updatedAt) throws SQLException {
    try (Connection c = DriverManager.getConnection(hisDatabase())) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("insert into his_prescription (prescription_no, resident_id,"
          + " patient_name, gender, birth_date, prescriber_code, prescriber_name, dept, diagnosis, written_at, status,"
          + " updated_at) values (?, '500112194811300179', '刘强', '男', date '1948-11-30', 'D0301', '杨光', '全科',"
          + " '高血压', ?, ?, ?)")) {
        p.setString(1, number);
        p.setTimestamp(2, Timestamp.valueOf(updatedAt.minusMinutes(5)));
        p.setString(3, status);
        p.setTimestamp(4, Timestamp.valueOf(updatedAt));
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("insert into his_prescription_item (prescription_no, item_no,"
          + " drug_code, drug_name, dosage_form, spec, usage, frequency, dose, dose_unit, days, quantity, quantity_unit)"
          + " values (?, ?, ?, ?, '片剂', ?, '口服', ?, ?, ?, ?, ?, '片')")) {
        p.setString(1, number);
        p.setInt(2, 1);
        p.setString(3, "YP0002");
        p.setString(4, "苯磺酸氨氯地平片");
        p.setString(5, "5mg");
        p.setString(6, "qd");
        p.setBigDecimal(7, new java.math.BigDecimal("5"));
        p.setString(8, "mg");
        p.setInt(9, 28);
        p.setBigDecimal(10, new java.math.BigDecimal("28"));
        p.addBatch();
        p.setString(1, number);
        p.setInt(2, 2);
        p.setString(3, "YP0003");
        p.setString(4, "阿托伐他汀钙片");
        p.setString(5, "20mg");
        p.setString(6, "qn");
        p.setBigDecimal(7, new java.math.BigDecimal("20"));
        p.setString(8, "mg");
        p.setInt(9, 14);
        p.setBigDecimal(10, new java.math.BigDecimal("14"));
        p.addBatch();
        p.executeBatch();
      }
      c.commit();
    }
  }

  private void execute(String sql, Object... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(hisDatabase()); PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  private int count(String orderNumber) {
    return fhirClient().search().forResource(MedicationRequest.class)
        .where(MedicationRequest.IDENTIFIER.exactly()
            .systemAndCode(IdentifierSystems.prescriptionNumberSystem(TOWNSHIP), orderNumber))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute().getEntry().size();
  }

  private MedicationRequest request(String orderNumber) {
    Bundle found = fhirClient().search().forResource(MedicationRequest.class)
        .where(MedicationRequest.IDENTIFIER.exactly()
            .systemAndCode(IdentifierSystems.prescriptionNumberSystem(TOWNSHIP), orderNumber))
        .returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute();
    assertThat(found.getEntry()).hasSize(1);
    return (MedicationRequest) found.getEntryFirstRep().getResource();
  }

  private JsonNode messages(String query) throws Exception {
    TestTokens.Response r = TestTokens.get(baseUrl() + "/api/messages?channel=" + TOWNSHIP + "&size=500" + query,
        token("admin"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode find(JsonNode page, String number) {
    for (JsonNode item : page.get("items")) {
      if (item.get("controlId").asText().startsWith(number + "@")) {
        return item;
      }
    }
    return null;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(500);
    }
  }

  interface Query {
    JsonNode get() throws Exception;
  }

  private static JsonNode await(Query query, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode value = query.get();
      if (condition.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT + ": " + value);
      }
      Thread.sleep(500);
    }
  }
}
