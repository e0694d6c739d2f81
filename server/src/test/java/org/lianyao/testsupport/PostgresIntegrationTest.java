package org.lianyao.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.lianyao.LianyaoApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of integration tests that run the whole gateway on a real port against the run's own
 * PostgreSQL database, with the demo consortium loaded. Spring caches the context, so test
 * classes extending this share one running gateway.
 */
@SpringBootTest(
    classes = LianyaoApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"lianyao.demo.enabled=true"})
public abstract class PostgresIntegrationTest {

  @LocalServerPort
  protected int port;

  @Autowired
  protected FhirContext fhirContext;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestPostgres::jdbcUrl);
    // Credentials usually travel in the URL (?user=postgres); only set them when given apart.
    if (TestPostgres.username() != null) {
      registry.add("spring.datasource.username", TestPostgres::username);
      registry.add("spring.datasource.password", TestPostgres::password);
    }
  }

  protected String baseUrl() {
    return "http://localhost:" + port;
  }

  protected IGenericClient fhirClient() {
    fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    return fhirContext.newRestfulGenericClient(baseUrl() + "/fhir");
  }
}
