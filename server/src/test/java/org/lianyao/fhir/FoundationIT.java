package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Organization;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

class FoundationIT extends PostgresIntegrationTest {

  @Autowired
  DataSource dataSource;

  @Test
  void capabilityStatementListsTheConsortiumResourceTypes() {
    CapabilityStatement cs = fhirClient().capabilities().ofType(CapabilityStatement.class).execute();
    Set<String> types = cs.getRestFirstRep().getResource().stream()
        .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
        .collect(Collectors.toSet());
    assertThat(types).contains("Patient", "Organization", "Practitioner", "PractitionerRole",
        "Medication", "MedicationRequest", "MedicationDispense", "InsurancePlan", "Basic",
        "SupplyRequest", "AuditEvent", "Provenance", "Consent", "CodeSystem", "ValueSet", "ConceptMap");
  }

  /** HAPI flushes after every JSON value; the response buffer keeps a small response in one piece. */
  @Test
  void smallFhirResponsesAreSentWholeWithAContentLength() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("GET /fhir/Organization?identifier=H50011200001 HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
          + "Accept: application/fhir+json\r\nAuthorization: Bearer " + token("admin") + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
      String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
      assertThat(head).startsWith("http/1.1 200").contains("content-length:").doesNotContain("transfer-encoding: chunked");
      assertThat(body).contains("示例区人民医院").contains("\"resourceType\":\"Bundle\"");
      assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .isGreaterThan(1000).isLessThan(ResponseBufferingFilter.BUFFER_BYTES);
    }
  }

  @Test
  void actuatorHealthIsUp() {
    String body = RestClient.create(baseUrl()).get().uri("/actuator/health").retrieve().body(String.class);
    assertThat(body).contains("\"status\":\"UP\"");
  }

  @Test
  void openApiDocumentIsServed() {
    String body = RestClient.create(baseUrl()).get().uri("/fhir/api-docs")
        .header("Authorization", "Bearer " + token("admin")).retrieve().body(String.class);
    assertThat(body).contains("openapi").contains("/Patient");
  }

  @Test
  void demoConsortiumLeadHospitalIsFoundByNhsaCode() {
    Bundle result = fhirClient().search().forResource(Organization.class)
        .where(Organization.IDENTIFIER.exactly().code("H50011200001"))
        .returnBundle(Bundle.class).execute();
    assertThat(result.getEntry()).hasSize(1);
    Organization lead = (Organization) result.getEntryFirstRep().getResource();
    assertThat(lead.getName()).isEqualTo("示例区人民医院");
    assertThat(lead.getIdentifier()).anyMatch(i -> IdentifierSystems.NHSA_INSTITUTION_CODE.equals(i.getSystem()));
  }

  @Test
  void demoConsortiumHasItsMembersAndPatients() {
    for (String code : List.of("H50011200001", "H50011200002", "H50011200003", "H50011200004")) {
      Bundle b = fhirClient().search().forResource(Organization.class)
          .where(Organization.IDENTIFIER.exactly().systemAndCode(IdentifierSystems.NHSA_INSTITUTION_CODE, code))
          .returnBundle(Bundle.class).execute();
      assertThat(b.getEntry()).as(code).hasSize(1);
    }
    Bundle patients = fhirClient().search().forResource("Patient")
        .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("identifier").hasSystemWithAnyCode(IdentifierSystems.RESIDENT_ID))
        .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
    assertThat(patients.getTotal()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void gatewaySchemaIsFlywayManagedAndHapiSchemaIsMigratorManaged() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Integer flywaySuccess = jdbc.queryForObject(
        "select count(*) from lianyao.flyway_schema_history where success", Integer.class);
    assertThat(flywaySuccess).isGreaterThanOrEqualTo(1);
    Integer messageTable = jdbc.queryForObject(
        "select count(*) from information_schema.tables where table_schema = 'lianyao' and table_name = 'message'",
        Integer.class);
    assertThat(messageTable).isEqualTo(1);
    // HAPI's migrator records its own history; Flyway's history must not list HAPI tables.
    Integer hapiMigrations = jdbc.queryForObject(
        "select count(*) from public.\"FLY_HFJ_MIGRATION\"", Integer.class);
    assertThat(hapiMigrations).isGreaterThan(100);
    Integer hapiTablesInGatewaySchema = jdbc.queryForObject(
        "select count(*) from information_schema.tables where table_schema = 'lianyao' and table_name like 'hfj_%'",
        Integer.class);
    assertThat(hapiTablesInGatewaySchema).isZero();
  }

  @Test
  void joinKeysOfHapisLinkTableHaveTheDefaultStatisticsTargetAgain() {
    // HAPI's own tuning migration sets 10,000; PostgresTuning puts the configured -1 back at start.
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    assertThat(jdbc.queryForList("select coalesce(attstattarget, -1) from pg_attribute where attrelid = 'hfj_res_link'::regclass"
        + " and attname in ('src_resource_id', 'target_resource_id')", Integer.class)).containsExactly(-1, -1);
    // HAPI's other targets are left alone.
    assertThat(jdbc.queryForObject("select attstattarget from pg_attribute where attrelid = 'hfj_spidx_token'::regclass"
        + " and attname = 'hash_value'", Integer.class)).isEqualTo(10000);
  }

  @Test
  void gatewayConnectionsPlanEverySearchForItsValues() {
    // lianyao.database.postgres.plan-cache-mode, given to the driver before the pool opened.
    assertThat(new JdbcTemplate(dataSource).queryForObject("show plan_cache_mode", String.class))
        .isEqualTo("force_custom_plan");
  }

  @Test
  void searchParameterIdentitiesAreNotWritten() {
    // The demo consortium has been indexed and searched by now: with the identity table on, HAPI
    // would have written an identity for each parameter involved (and for every built-in one at start).
    assertThat(fhirClient().search().forResource(Organization.class)
        .where(Organization.IDENTIFIER.exactly().code("H50011200001")).returnBundle(Bundle.class).execute().getEntry())
        .hasSize(1);
    assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from hfj_spidx_identity", Integer.class))
        .isZero();
  }
}
