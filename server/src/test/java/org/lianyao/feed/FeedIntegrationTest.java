package org.lianyao.feed;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lianyao.LianyaoApplication;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.RunByFailsafe;
import org.lianyao.testsupport.TestPostgres;
import org.lianyao.testsupport.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shared gateway of the feed integration tests: the demo consortium on the run's PostgreSQL,
 * plus
 *
 * <ul>
 *   <li>an MLLP listener on a free port of its own (the plain test gateway has another one);</li>
 *   <li>HL7 channels for H50011200001 and H50011200004 whose outbound notices go to
 *       {@link #hisMllpPort()}, where a test plays the HIS (nothing listens there at first);</li>
 *   <li>an intermediate-database channel for H50011200003 on a second PostgreSQL database acting
 *       as the HIS 中间库, with the table shape of {@code camel-routes/docs/intermediate-database.md}.</li>
 * </ul>
 *
 * <p>Not a subclass of {@link PostgresIntegrationTest}: both set the MLLP port, and Spring lets a
 * superclass's dynamic property win over its subclass's. The two contexts (this one and the
 * plain test gateway) may run side by side in one JVM, each on its own free MLLP port.
 */
@ExtendWith(RunByFailsafe.class)
@SpringBootTest(
    classes = LianyaoApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"lianyao.demo.enabled=true"})
public abstract class FeedIntegrationTest {

  @LocalServerPort
  protected int port;

  @Autowired
  protected FhirContext fhirContext;

  static final String LEAD = "H50011200001";
  static final String TOWNSHIP = "H50011200003";
  static final String VILLAGE = "H50011200004";

  private static int feedMllpPort;
  private static int hisMllpPort;
  private static String hisDatabase;

  /** PostgreSQL DDL of the documented intermediate tables (docs/intermediate-database.md). */
  static final String HIS_DDL = """
      CREATE TABLE his_prescription (
          prescription_no  VARCHAR(40)  NOT NULL PRIMARY KEY,
          resident_id      VARCHAR(18),
          patient_id       VARCHAR(40),
          patient_name     VARCHAR(50)  NOT NULL,
          gender           VARCHAR(4),
          birth_date       DATE,
          phone            VARCHAR(20),
          prescriber_code  VARCHAR(20)  NOT NULL,
          prescriber_name  VARCHAR(50),
          dept             VARCHAR(50),
          diagnosis        VARCHAR(200),
          written_at       TIMESTAMP    NOT NULL,
          status           VARCHAR(8)   NOT NULL DEFAULT 'NW',
          updated_at       TIMESTAMP    NOT NULL
      );
      CREATE INDEX ix_his_prescription_updated ON his_prescription (updated_at, prescription_no);
      CREATE TABLE his_prescription_item (
          prescription_no  VARCHAR(40)   NOT NULL REFERENCES his_prescription (prescription_no),
          item_no          INTEGER       NOT NULL,
          drug_code        VARCHAR(40)   NOT NULL,
          drug_name        VARCHAR(100)  NOT NULL,
          dosage_form      VARCHAR(20),
          spec             VARCHAR(50),
          usage            VARCHAR(20),
          frequency        VARCHAR(20),
          dose             NUMERIC(10,3),
          dose_unit        VARCHAR(10),
          days             INTEGER,
          quantity         NUMERIC(10,2),
          quantity_unit    VARCHAR(10),
          remark           VARCHAR(200),
          PRIMARY KEY (prescription_no, item_no)
      );
      """;

  @DynamicPropertySource
  static void feeds(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestPostgres::jdbcUrl);
    if (TestPostgres.username() != null) {
      registry.add("spring.datasource.username", TestPostgres::username);
      registry.add("spring.datasource.password", TestPostgres::password);
    }
    registry.add("lianyao.feeds.hl7.port", FeedIntegrationTest::feedMllpPort);
    registry.add("lianyao.feeds.hl7.channels[0].institution", () -> LEAD);
    registry.add("lianyao.feeds.hl7.channels[0].outbound.host", () -> "127.0.0.1");
    registry.add("lianyao.feeds.hl7.channels[0].outbound.port", FeedIntegrationTest::hisMllpPort);
    registry.add("lianyao.feeds.hl7.channels[1].institution", () -> VILLAGE);
    registry.add("lianyao.feeds.hl7.channels[1].outbound.host", () -> "127.0.0.1");
    registry.add("lianyao.feeds.hl7.channels[1].outbound.port", FeedIntegrationTest::hisMllpPort);
    registry.add("lianyao.feeds.outbound.poll-interval", () -> "300ms");
    registry.add("lianyao.feeds.outbound.initial-backoff", () -> "300ms");
    registry.add("lianyao.feeds.outbound.max-backoff", () -> "2s");
    registry.add("lianyao.feeds.outbound.connect-timeout", () -> "1s");
    registry.add("lianyao.feeds.outbound.ack-timeout", () -> "5s");
    registry.add("lianyao.feeds.intermediate.channels[0].institution", () -> TOWNSHIP);
    registry.add("lianyao.feeds.intermediate.channels[0].url", FeedIntegrationTest::hisDatabase);
    registry.add("lianyao.feeds.intermediate.channels[0].poll-interval", () -> "1s");
    registry.add("lianyao.feeds.intermediate.channels[0].lookback", () -> "1m");
  }

  static synchronized int feedMllpPort() {
    if (feedMllpPort == 0) {
      feedMllpPort = freePort();
    }
    return feedMllpPort;
  }

  static synchronized int hisMllpPort() {
    if (hisMllpPort == 0) {
      hisMllpPort = freePort();
    }
    return hisMllpPort;
  }

  /** JDBC URL of the HIS intermediate database (created with its tables on first use). */
  static synchronized String hisDatabase() {
    if (hisDatabase == null) {
      hisDatabase = TestPostgres.createDatabase("his");
      try (Connection c = DriverManager.getConnection(hisDatabase); Statement s = c.createStatement()) {
        s.execute(HIS_DDL);
      } catch (SQLException e) {
        throw new IllegalStateException("HIS database could not be set up", e);
      }
    }
    return hisDatabase;
  }

  protected String baseUrl() {
    return "http://localhost:" + port;
  }

  /** A FHIR client authenticated as the demo platform administrator. */
  protected IGenericClient fhirClient() {
    return fhirClient("admin");
  }

  /** A FHIR client authenticated as a demo client (secret {@code demo-secret}). */
  protected IGenericClient fhirClient(String clientId) {
    fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = fhirContext.newRestfulGenericClient(baseUrl() + "/fhir");
    client.registerInterceptor(new IClientInterceptor() {
      @Override
      public void interceptRequest(IHttpRequest request) {
        request.addHeader("Authorization", "Bearer " + token(clientId));
      }

      @Override
      public void interceptResponse(IHttpResponse response) {}
    });
    return client;
  }

  protected String token(String clientId) {
    return TestTokens.token(baseUrl(), clientId);
  }

  static int freePort() {
    return PostgresIntegrationTest.freePort();
  }

  MllpTestClient mllpClient() {
    return new MllpTestClient("127.0.0.1", feedMllpPort(), 60_000);
  }
}
