package org.lianyao.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
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
 *
 * <p>Every request authenticates: {@link #fhirClient()} as the demo {@code admin} client,
 * {@link #fhirClient(String)} as any demo client (e.g. {@code H50011200004}, {@code committee},
 * {@code auditor}), {@link #fhirClientWithToken(Supplier)} with a crafted token. The context also
 * trusts {@link TestTokens#TEST_ISSUER} and registers the SMART backend-services client
 * {@link TestTokens#PKJ_CLIENT}.
 */
@ExtendWith(RunByFailsafe.class)
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
    registry.add("lianyao.security.trusted-issuers[0].issuer", () -> TestTokens.TEST_ISSUER);
    registry.add("lianyao.security.trusted-issuers[0].jwks-location",
        () -> TestTokens.issuerJwks().toUri().toString());
    registry.add("lianyao.security.clients[0].id", () -> TestTokens.PKJ_CLIENT);
    registry.add("lianyao.security.clients[0].jwks-location", () -> TestTokens.clientJwks().toUri().toString());
    registry.add("lianyao.security.clients[0].institution", () -> TestTokens.PKJ_CLIENT_INSTITUTION);
    registry.add("lianyao.security.clients[0].role", () -> "his");
    // The MLLP listener on a free port, never the fixed default 2575. Resolved once per
    // application context: cached contexts of other test classes keep listening on theirs.
    registry.add("lianyao.feeds.hl7.port", PostgresIntegrationTest::freePort);
  }

  /** A TCP port nothing listens on at the moment. */
  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    return fhirClientWithToken(() -> token(clientId));
  }

  /** A FHIR client sending the supplied bearer token (asked for on every request). */
  protected IGenericClient fhirClientWithToken(Supplier<String> token) {
    fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = fhirContext.newRestfulGenericClient(baseUrl() + "/fhir");
    client.registerInterceptor(new IClientInterceptor() {
      @Override
      public void interceptRequest(IHttpRequest request) {
        request.addHeader("Authorization", "Bearer " + token.get());
      }

      @Override
      public void interceptResponse(IHttpResponse response) {}
    });
    return client;
  }

  /** A demo client's access token from the embedded authorization server (cached a few minutes). */
  protected String token(String clientId) {
    return TestTokens.token(baseUrl(), clientId);
  }
}
