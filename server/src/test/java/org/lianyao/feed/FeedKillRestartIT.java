package org.lianyao.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lianyao.LianyaoApplication;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.RunByFailsafe;
import org.lianyao.testsupport.TestPostgres;
import org.lianyao.testsupport.TestTokens;

/**
 * "Nothing accepted is lost, nothing done twice", tested the hard way: the gateway runs as a
 * separate JVM on its own PostgreSQL database; four MLLP connections stream prescriptions while a
 * HIS keeps inserting rows into its intermediate table; the gateway is killed ({@code kill -9},
 * no shutdown hooks) in the middle of the stream and started again; the senders resend what was
 * not acknowledged (and, like real HIS after a timeout, a few messages that were). Then every
 * message acknowledged AA is stored PROCESSED and produced its prescriptions exactly once, and
 * every intermediate row produced exactly one prescription.
 */
@ExtendWith(RunByFailsafe.class)
class FeedKillRestartIT {

  private static final Charset GB18030 = Charset.forName("GB18030");
  private static final String LEAD = "H50011200001";
  private static final String TOWNSHIP = "H50011200003";
  private static final int MESSAGES = 240;
  private static final int CONNECTIONS = 4;
  private static final int KILL_AFTER_ACKS = 70;
  private static final Pattern FULL_URL = Pattern.compile("\"fullUrl\"");
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  /** One gateway JVM. */
  private static final class Gateway implements AutoCloseable {
    final Process process;
    final int httpPort;
    final int mllpPort;

    Gateway(Process process, int httpPort, int mllpPort) {
      this.process = process;
      this.httpPort = httpPort;
      this.mllpPort = mllpPort;
    }

    String base() {
      return "http://localhost:" + httpPort;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  @Test
  void killedMidStreamTheGatewayLosesNothingAcknowledgedAndDuplicatesNothing() throws Exception {
    String db = TestPostgres.createDatabase("kill");
    String his = TestPostgres.createDatabase("killhis");
    try (Connection c = DriverManager.getConnection(his); Statement s = c.createStatement()) {
      s.execute(FeedIntegrationTest.HIS_DDL);
    }
    int http = PostgresIntegrationTest.freePort();
    int mllp = PostgresIntegrationTest.freePort();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
    Map<String, byte[]> messages = new LinkedHashMap<>();
    for (int i = 0; i < MESSAGES; i++) {
      String id = String.format("K%s%04d", run, i);
      messages.put(id, Hl7TestMessages.uniqueRde("gb18030", id, "C" + id).getBytes(GB18030));
    }
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Set<String> ackedBeforeKill;
    List<String> rows = Collections.synchronizedList(new ArrayList<>());

    Gateway first = start(db, his, http, mllp, "first");
    try {
      awaitReady(first);
      AtomicInteger rowCounter = new AtomicInteger();
      CountDownLatch stop = new CountDownLatch(1);
      Thread hisWriter = new Thread(() -> {
        while (stop.getCount() > 0) {
          insertRow(his, "R" + run + rowCounter.incrementAndGet(), rows);
          sleep(150);
        }
      });
      hisWriter.start();
      List<Thread> senders = senders(first.mllpPort, messages, acked);
      senders.forEach(Thread::start);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (acked.size() < KILL_AFTER_ACKS && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // kill -9 in the middle of the stream: no graceful shutdown of anything.
      first.process.destroyForcibly();
      first.process.waitFor();
      ackedBeforeKill = Set.copyOf(acked);
      stop.countDown();
      hisWriter.join();
      for (Thread t : senders) {
        t.join(60_000);
      }
    } finally {
      first.close();
    }
    assertThat(ackedBeforeKill.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(KILL_AFTER_ACKS);
    assertThat(ackedBeforeKill.size()).as("the kill came before the end of the stream").isLessThan(MESSAGES);

    try (Gateway second = start(db, his, http, mllp, "second")) {
      awaitReady(second);
      // Every message acknowledged before the kill was stored PROCESSED before its ACK left.
      Map<String, String> status = statuses(db, run);
      for (String id : ackedBeforeKill) {
        assertThat(status.get(id)).as("stored status of acknowledged message %s", id).isEqualTo("PROCESSED");
      }
      // The senders resend what was not acknowledged, plus some that were (an ACK lost in transit).
      Map<String, byte[]> resend = new LinkedHashMap<>();
      messages.forEach((id, bytes) -> {
        if (!acked.contains(id)) {
          resend.put(id, bytes);
        }
      });
      ackedBeforeKill.stream().sorted().limit(20).forEach(id -> resend.put(id, messages.get(id)));
      System.out.printf("kill-restart: %d of %d acknowledged before kill -9, %d resent after the restart"
          + " (%d of them acknowledged before), %d intermediate rows inserted before the kill%n", ackedBeforeKill.size(),
          MESSAGES, resend.size(), Math.min(20, ackedBeforeKill.size()), rows.size());
      List<Thread> senders = senders(second.mllpPort, resend, acked);
      senders.forEach(Thread::start);
      for (Thread t : senders) {
        t.join(300_000);
      }
      assertThat(acked).as("every message is acknowledged in the end").hasSize(MESSAGES);
      for (int i = 0; i < 5; i++) {
        insertRow(his, "R" + run + "Z" + i, rows);
      }

      String token = TestTokens.freshToken(second.base(), "admin");
      status = statuses(db, run);
      for (String id : messages.keySet()) {
        assertThat(status.get(id)).as("message %s", id).isEqualTo("PROCESSED");
        assertThat(count(second, token, LEAD, "C" + id + "01")).as("prescription C%s01", id).isEqualTo(1);
        assertThat(count(second, token, LEAD, "C" + id + "02")).as("prescription C%s02", id).isEqualTo(1);
      }
      assertThat(messageRows(db, run)).as("one stored message per control id").isEqualTo(MESSAGES);

      // Intermediate rows: each exactly one prescription, across the kill, once the poller caught up.
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      List<String> inserted = List.copyOf(rows);
      // Waiting on the message store, not on FHIR searches (HAPI caches identical searches for a minute).
      while (System.nanoTime() < deadline && processedRows(db, run) < inserted.size()) {
        Thread.sleep(1_000);
      }
      assertThat(processedRows(db, run)).as("intermediate rows processed").isEqualTo(inserted.size());
      for (String row : inserted) {
        assertThat(count(second, token, TOWNSHIP, row + "-1")).as("intermediate prescription %s", row).isEqualTo(1);
      }
    }
  }

  private static Gateway start(String db, String his, int http, int mllp, String name) throws IOException {
    Path log = Path.of("target", "kill-restart-" + name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dfile.encoding=UTF-8",
        "-cp", System.getProperty("java.class.path"),
        LianyaoApplication.class.getName(),
        "--spring.datasource.url=" + db,
        "--server.port=" + http,
        "--lianyao.demo.enabled=true",
        "--lianyao.feeds.hl7.port=" + mllp,
        "--lianyao.feeds.intermediate.channels[0].institution=" + TOWNSHIP,
        "--lianyao.feeds.intermediate.channels[0].url=" + his,
        "--lianyao.feeds.intermediate.channels[0].poll-interval=500ms",
        "--lianyao.feeds.outbound.enabled=false"));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(new File(log.toString())))
        .start();
    return new Gateway(process, http, mllp);
  }

  private static void awaitReady(Gateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!gateway.process.isAlive()) {
        throw new AssertionError("gateway exited during start, see target/kill-restart-*.log");
      }
      try {
        java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.base() + "/actuator/health/readiness")).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("UP")) {
          try (MllpTestClient probe = new MllpTestClient("127.0.0.1", gateway.mllpPort, 1_000)) {
            return;
          } catch (RuntimeException notYet) {
            // listener not bound yet
          }
        }
      } catch (IOException | RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("gateway not ready within 5 minutes");
  }

  /** CONNECTIONS threads, each sending its share on its own connection until done or cut off. */
  private static List<Thread> senders(int port, Map<String, byte[]> messages, Set<String> acked) {
    List<List<String>> shares = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      shares.add(new ArrayList<>());
    }
    int i = 0;
    for (String id : messages.keySet()) {
      shares.get(i++ % CONNECTIONS).add(id);
    }
    List<Thread> threads = new ArrayList<>();
    for (List<String> share : shares) {
      threads.add(new Thread(() -> {
        try (MllpTestClient client = new MllpTestClient("127.0.0.1", port, 60_000)) {
          for (String id : share) {
            MllpTestClient.Ack ack = client.send(messages.get(id), GB18030);
            if ("AA".equals(ack.code()) && id.equals(ack.controlId())) {
              acked.add(id);
            } else {
              throw new IllegalStateException("unexpected ACK for " + id + ": " + ack.text());
            }
          }
        } catch (IOException cutOff) {
          // the gateway was killed: what was not acknowledged is resent after the restart
        } catch (RuntimeException e) {
          System.err.println("sender stopped: " + e);
        }
      }));
    }
    return threads;
  }

  private static void insertRow(String his, String number, List<String> rows) {
    try (Connection c = DriverManager.getConnection(his)) {
      c.setAutoCommit(false);
      LocalDateTime now = LocalDateTime.now();
      try (PreparedStatement p = c.prepareStatement("insert into his_prescription (prescription_no, resident_id,"
          + " patient_name, gender, prescriber_code, prescriber_name, diagnosis, written_at, status, updated_at)"
          + " values (?, '500112194811300179', '刘强', '男', 'D0301', '杨光', '高血压', ?, 'NW', ?)")) {
        p.setString(1, number);
        p.setTimestamp(2, Timestamp.valueOf(now.minusMinutes(1)));
        p.setTimestamp(3, Timestamp.valueOf(now));
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("insert into his_prescription_item (prescription_no, item_no,"
          + " drug_code, drug_name, dosage_form, usage, frequency, dose, dose_unit, days, quantity, quantity_unit)"
          + " values (?, 1, 'YP0002', '苯磺酸氨氯地平片', '片剂', '口服', 'qd', 5, 'mg', 28, 28, '片')")) {
        p.setString(1, number);
        p.executeUpdate();
      }
      c.commit();
      rows.add(number);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> statuses(String db, String run) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement p = c.prepareStatement("select control_id, status from lianyao.message"
            + " where direction = 'IN' and channel = ? and control_id like ?")) {
      p.setString(1, LEAD);
      p.setString(2, "K" + run + "%");
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  private static int processedRows(String db, String run) throws SQLException {
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement p = c.prepareStatement("select count(*) from lianyao.message where protocol = 'SQL'"
            + " and status = 'PROCESSED' and control_id like ?")) {
      p.setString(1, "R" + run + "%");
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static int messageRows(String db, String run) throws SQLException {
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement p = c.prepareStatement("select count(*) from lianyao.message where control_id like ?")) {
      p.setString(1, "K" + run + "%");
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Number of MedicationRequests with this prescription number (entries of a search). */
  private static int count(Gateway gateway, String token, String institution, String number) {
    TestTokens.Response r = TestTokens.get(gateway.base() + "/fhir/MedicationRequest?_elements=identifier&_count=10"
        + "&identifier=" + IdentifierSystems.prescriptionNumberSystem(institution) + "%7C" + number, token);
    if (r.status() != 200) {
      throw new IllegalStateException("search of " + number + " failed: " + r.status() + " " + r.body());
    }
    Matcher m = FULL_URL.matcher(r.body());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
