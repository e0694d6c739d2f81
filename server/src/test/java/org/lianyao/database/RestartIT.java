package org.lianyao.database;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lianyao.LianyaoApplication;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestPostgres;
import org.lianyao.testsupport.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stops and starts the whole gateway on one database: data survives, the demo is not loaded twice
 * (the restart skips its unchanged steps), and HAPI's migrator finds nothing left to do. Runs on PostgreSQL (production) and on the
 * embedded H2 file database (the one-command default).
 */
class RestartIT {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  @Test
  void postgresKeepsDataAcrossRestart() {
    String url = TestPostgres.createDatabase("restart");
    assertSurvivesRestart("--spring.datasource.url=" + url, "--lianyao.demo.enabled=true");
  }

  @Test
  void embeddedH2DefaultLoadsTheDemoAndKeepsDataAcrossRestart(@TempDir Path dir) {
    // No demo flag: the embedded default loads the demo by itself.
    assertSurvivesRestart("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("lianyao") + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  private void assertSurvivesRestart(String... args) {
    String patientId;
    int organizations;
    Map<String, Object> demoLoaded;
    try (ConfigurableApplicationContext first = start(args)) {
      IGenericClient client = client(first);
      organizations = countOrganizations(client);
      demoLoaded = demoSteps(first);
      assertThat(demoLoaded).as("demo steps loaded").containsOnlyKeys("bundles", "formularies", "prescriptions");
      assertThat(organizations).as("demo organisations").isGreaterThanOrEqualTo(5);
      Patient p = new Patient();
      // Male (odd sequence 001), born 1990-01-01, GB 11643 check character 7.
      p.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue("500112199001010017");
      p.addName().setText("重启测试").setFamily("重").addGiven("启测试");
      p.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE);
      p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-01-01"));
      patientId = client.create().resource(p).execute().getId().getIdPart();
    }
    try (ConfigurableApplicationContext second = start(args)) {
      IGenericClient client = client(second);
      Patient read = client.read().resource(Patient.class).withId(new IdType("Patient", patientId)).execute();
      assertThat(read.getNameFirstRep().getText()).isEqualTo("重启测试");
      assertThat(countOrganizations(client)).as("demo loaded once").isEqualTo(organizations);
      assertThat(demoSteps(second)).as("unchanged demo steps skipped at restart").isEqualTo(demoLoaded);
      assertThat(second.getBean(HapiSchemaMigration.class).lastResult().succeededTasks)
          .as("HAPI schema already current").isEmpty();
    }
  }

  /** Demo step → when it was last loaded. */
  private static Map<String, Object> demoSteps(ConfigurableApplicationContext ctx) {
    Map<String, Object> steps = new TreeMap<>();
    new JdbcTemplate(ctx.getBean(DataSource.class))
        .query("select step, loaded_at from lianyao.demo_load", rs -> {
          steps.put(rs.getString(1), rs.getTimestamp(2).toInstant());
        });
    return steps;
  }

  private static ConfigurableApplicationContext start(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server.port=0";
    // No MLLP listener on the fixed default port 2575 from a test.
    all[args.length + 1] = "--lianyao.feeds.hl7.enabled=false";
    return new SpringApplicationBuilder(LianyaoApplication.class).run(all);
  }

  private static IGenericClient client(ConfigurableApplicationContext ctx) {
    int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    CTX.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = CTX.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    // Each start has its own ephemeral signing key: a token from the embedded server of this run.
    client.registerInterceptor(new BearerTokenAuthInterceptor(
        TestTokens.freshToken("http://localhost:" + port, "admin")));
    return client;
  }

  private static int countOrganizations(IGenericClient client) {
    return client.search().forResource("Organization").summaryMode(SummaryEnum.COUNT)
        .returnBundle(Bundle.class).execute().getTotal();
  }
}
