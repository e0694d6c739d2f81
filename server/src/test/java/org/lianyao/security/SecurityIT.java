package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.security.SecurityFixtures.CLINIC;
import static org.lianyao.security.SecurityFixtures.LEAD;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;

/**
 * Authentication: which requests need a token, which tokens are accepted (real ones from the
 * embedded authorization server, and ones signed by a trusted test key), SMART discovery and
 * backend-services client authentication, and the audit trail of every refusal.
 */
class SecurityIT extends PostgresIntegrationTest {

  private SecurityFixtures fx;

  @Autowired
  private SecurityAuditService audit;

  @Autowired
  private MeterRegistry meters;

  @BeforeEach
  void fixtures() {
    fx = new SecurityFixtures(baseUrl(), fhirContext);
  }

  @Test
  void withoutATokenFhirIs401WithBearerChallengeButMetadataDiscoveryAndHealthAreOpen() {
    Response patients = TestTokens.get(baseUrl() + "/fhir/Patient", null);
    assertThat(patients.status()).isEqualTo(401);
    assertThat(patients.header("WWW-Authenticate")).startsWith("Bearer");
    OperationOutcome oo = fhirContext.newJsonParser().parseResource(OperationOutcome.class, patients.body());
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("访问令牌");
    assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("bearer access token is required");

    assertThat(TestTokens.send("POST", baseUrl() + "/fhir/Patient", null,
        fx.json(SecurityFixtures.patient(SecurityFixtures.residentId(), "无令牌"))).status()).isEqualTo(401);
    assertThat(TestTokens.get(baseUrl() + "/fhir/api-docs", null).status()).as("swagger").isEqualTo(401);
    assertThat(TestTokens.get(baseUrl() + "/api/anything", null).status()).as("gateway API").isEqualTo(401);

    Response metadata = TestTokens.get(baseUrl() + "/fhir/metadata", null);
    assertThat(metadata.status()).isEqualTo(200);
    assertThat(metadata.body()).contains("CapabilityStatement");
    assertThat(TestTokens.getAny(baseUrl() + "/actuator/health").status()).isEqualTo(200);
    assertThat(TestTokens.getAny(baseUrl() + "/oauth2/jwks").body()).contains("\"keys\"");
  }

  @Test
  void actuatorEndpointsOtherThanHealthAreTheAdministratorsOnly() {
    Map<String, String> json = Map.of("Accept", "application/json");
    assertThat(TestTokens.get(baseUrl() + "/actuator/info", null, json).status()).isEqualTo(401);
    assertThat(TestTokens.get(baseUrl() + "/actuator/info", token(CLINIC), json).status()).isEqualTo(403);
    assertThat(TestTokens.get(baseUrl() + "/actuator/info", token("auditor"), json).status()).isEqualTo(403);
    assertThat(TestTokens.get(baseUrl() + "/actuator/info", token("admin"), json).status()).isEqualTo(200);
  }

  @Test
  void smartConfigurationAdvertisesTheTokenEndpointScopesAndAuthMethods() throws Exception {
    for (String path : new String[] {"/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"}) {
      Response r = TestTokens.get(baseUrl() + path, null);
      assertThat(r.status()).as(path).isEqualTo(200);
      JsonNode json = new ObjectMapper().readTree(r.body());
      assertThat(json.get("token_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/token");
      assertThat(json.get("jwks_uri").asText()).isEqualTo(baseUrl() + "/oauth2/jwks");
      assertThat(json.get("grant_types_supported").toString()).isEqualTo("[\"client_credentials\"]");
      assertThat(json.get("token_endpoint_auth_methods_supported").toString())
          .contains("private_key_jwt").contains("client_secret_basic");
      assertThat(json.get("token_endpoint_auth_signing_alg_values_supported").toString())
          .contains("RS384").contains("ES384");
      assertThat(json.get("capabilities").toString())
          .contains("client-confidential-asymmetric").contains("permission-v2");
      assertThat(json.get("scopes_supported").toString()).contains("system/MedicationRequest.cu");
    }
  }

  @Test
  void embeddedServerIssuesTokensNamingInstitutionRoleScopesAndAudience() throws Exception {
    String token = token(CLINIC);
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(baseUrl());
    assertThat(claims.getAudience()).containsExactly("lianyao-fhir");
    assertThat(claims.getStringClaim("institution")).isEqualTo(CLINIC);
    assertThat(claims.getStringClaim("role")).isEqualTo("his");
    assertThat(claims.getStringClaim("scope")).contains("system/MedicationRequest.cu").contains("system/*.rs");
    assertThat(claims.getExpirationTime()).isBefore(Date.from(Instant.now().plusSeconds(301)));

    Response wrongSecret = TestTokens.clientSecretTokenRequest(baseUrl(), CLINIC, "not-the-secret", null);
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(wrongSecret.body()).contains("invalid_client");
    fx.awaitAuditEvent("altid=" + CLINIC + "&outcome=8", e -> e.getEntityFirstRep().getDescription() != null
        && e.getEntityFirstRep().getDescription().contains("/oauth2/token"));
  }

  @Test
  void refusalsArrivingTogetherAreEachRecorded() {
    // A burst of refusals queues up for the background audit writer; none may be lost or merged.
    String bad = TestTokens.tamperSignature(token("H50011200003"));
    String tag = UUID.randomUUID().toString().substring(0, 8);
    java.util.List<String> paths = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String path = "/fhir/Patient/burst-" + tag + "-" + i;
      paths.add(path);
      assertThat(TestTokens.get(baseUrl() + path, bad).status()).isEqualTo(401);
    }
    for (String path : paths) {
      fx.awaitAuditEvent("altid=H50011200003&outcome=8", e -> ("GET " + path).equals(e.getEntityFirstRep().getDescription()));
    }
  }

  @Test
  void aFloodOfAuditEventsIsWrittenInSharedTransactionsAndABadEventCostsOnlyItself() throws Exception {
    // Four threads record 200 refusals at once, with one event among them that HAPI refuses to
    // store (it names a resource that does not exist): the writer takes what waits into one
    // transaction, and a failed batch is written again event by event.
    String tag = "flood-" + UUID.randomUUID().toString().substring(0, 8);
    long writtenBefore = audit.writtenCount();
    long transactionsBefore = audit.transactionCount();
    long droppedBefore = audit.droppedCount();
    long failedBefore = audit.failedCount();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            audit.refused(new SecurityAuditService.Refusal(
                new SecurityAuditService.Agent(tag, "H50011200003", "his", true, "127.0.0.1"), "GET",
                "/fhir/Patient/" + tag + "-" + thread + "-" + i, "read", true, "测试", "test", null, null));
            if (thread == 0 && i == 25) {
              audit.crossInstitutionRead(new Caller(tag, "H50011200003", Role.HIS, SmartScopes.none(), "test", null),
                  "127.0.0.1", "GET", "/fhir/MedicationRequest/missing-" + tag, "read", null,
                  java.util.List.of(new SecurityAuditService.Access("MedicationRequest/missing-" + tag, "H50011200001", null)));
            }
          }
        }));
      }
      for (var f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(audit.flush(60_000)).isTrue();

    Response count = TestTokens.get(baseUrl() + "/fhir/AuditEvent?altid=" + tag + "&_summary=count", token("auditor"),
        java.util.Map.of("Cache-Control", "no-cache"));
    assertThat(fhirContext.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, count.body()).getTotal())
        .isEqualTo(200);
    assertThat(audit.droppedCount()).isEqualTo(droppedBefore);
    assertThat(audit.writtenCount() - writtenBefore).isGreaterThanOrEqualTo(200);
    assertThat(audit.transactionCount() - transactionsBefore).as("batches formed").isLessThan(200);
    assertThat(audit.failedCount() - failedBefore).as("the event HAPI refused").isEqualTo(1);
    // The same counts reach the metrics registry (what an operator's monitoring reads).
    assertThat(meters.get("lianyao.security.audit.events").tag("outcome", "written").functionCounter().count())
        .isGreaterThanOrEqualTo(writtenBefore + 200);
    assertThat(meters.get("lianyao.security.audit.events").tag("outcome", "failed").functionCounter().count())
        .isEqualTo(audit.failedCount());
  }

  @Test
  void tamperedSignatureIs401AndTheDenialIsInTheAuditTrail() {
    String real = token("H50011200003");
    String path = "/fhir/Patient/tamper-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?_count=1", real).status()).isEqualTo(200);

    Response r = TestTokens.get(baseUrl() + path, TestTokens.tamperSignature(real));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("invalid_token");

    AuditEvent event = fx.awaitAuditEvent("altid=H50011200003&outcome=8",
        e -> ("GET " + path).equals(e.getEntityFirstRep().getDescription()));
    assertThat(event.getType().getCode()).isEqualTo("110113");
    assertThat(event.getAgentFirstRep().getWho().getIdentifier().getSystem())
        .isEqualTo(SecurityAuditService.CLIENT_ID_SYSTEM);
    assertThat(event.getAgentFirstRep().getWho().getDisplay()).contains("unverified");
    assertThat(event.getAgent()).anyMatch(a -> "H50011200003".equals(a.getWho().getIdentifier().getValue())
        && a.getWho().getIdentifier().getSystem().endsWith("nhsa-institution-code"));
    assertThat(event.getSource().getSite()).isEqualTo("Lianyao");
  }

  @Test
  void tokensFromTheTrustedTestIssuerAreAcceptedOnlyWhenEverythingChecksOut() {
    String url = baseUrl() + "/fhir/Patient?_count=1";
    String scope = "system/*.rs";
    // The positive control: without it every rejection below would prove nothing.
    assertThat(TestTokens.get(url, TestTokens.testIssuerToken(
        TestTokens.claims("test-lead", "his", LEAD, scope).build())).status()).isEqualTo(200);

    Map<String, String> rejected = new LinkedHashMap<>();
    rejected.put("expired", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "his", LEAD, scope)
        .issueTime(Date.from(Instant.now().minusSeconds(1200)))
        .expirationTime(Date.from(Instant.now().minusSeconds(600))).build()));
    rejected.put("no expiry", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "his", LEAD, scope)
        .expirationTime(null).build()));
    rejected.put("wrong audience", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "his", LEAD, scope)
        .audience("some-other-api").build()));
    rejected.put("untrusted issuer", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "his", LEAD, scope)
        .issuer("https://evil.example").build()));
    rejected.put("embedded issuer, foreign key", TestTokens.testIssuerToken(
        TestTokens.claims("test-lead", "his", LEAD, scope).issuer(baseUrl()).build()));
    rejected.put("signed by an untrusted key", TestTokens.sign(
        TestTokens.claims("test-lead", "his", LEAD, scope).build(), TestTokens.strangerKey(), JWSAlgorithm.RS256));
    rejected.put("tampered signature", TestTokens.tamperSignature(TestTokens.testIssuerToken(
        TestTokens.claims("test-lead", "his", LEAD, scope).build())));
    rejected.put("unsigned (alg none)",
        new PlainJWT(TestTokens.claims("test-lead", "his", LEAD, scope).build()).serialize());
    rejected.put("no role", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "his", LEAD, scope)
        .claim("role", null).build()));
    rejected.put("unknown role", TestTokens.testIssuerToken(TestTokens.claims("test-lead", "superuser", LEAD, scope).build()));
    rejected.put("his without institution", TestTokens.testIssuerToken(
        TestTokens.claims("test-lead", "his", null, scope).build()));
    rejected.put("not a JWT", "abc.def");

    rejected.forEach((why, token) -> {
      Response r = TestTokens.get(url, token);
      assertThat(r.status()).as(why).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).as(why).startsWith("Bearer");
    });
  }

  @Test
  void missingScopeIsRefusedNamingTheScope() {
    String org = fx.orgId(CLINIC);
    String patient = fx.demoPatientId();
    String practitioner = fx.practitionerId(CLINIC, "D0401");
    String readOnly = TestTokens.token(baseUrl(), CLINIC, "system/Patient.rs");
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?_count=1", readOnly).status()).isEqualTo(200);

    Response write = fx.create(readOnly, SecurityFixtures.prescription(org, CLINIC, patient, practitioner));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.body()).contains("system/MedicationRequest.c").contains("缺少");
    assertThat(TestTokens.get(baseUrl() + "/fhir/Organization", readOnly).status()).as("no Organization scope")
        .isEqualTo(403);

    // SMART v2 separates search (s) from read (r).
    String searchOnly = TestTokens.token(baseUrl(), CLINIC, "system/Patient.s");
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?_count=1", searchOnly).status()).isEqualTo(200);
    Response read = TestTokens.get(baseUrl() + "/fhir/Patient/" + patient, searchOnly);
    assertThat(read.status()).isEqualTo(403);
    assertThat(read.body()).contains("system/Patient.r");

    // A client can narrow its scopes, never widen them.
    Response widened = TestTokens.clientSecretTokenRequest(baseUrl(), CLINIC, TestTokens.DEMO_SECRET,
        "system/Organization.c");
    assertThat(widened.status()).isEqualTo(400);
    assertThat(widened.body()).contains("invalid_scope");
  }

  @Test
  void smartBackendServicesClientAuthenticatesWithAPrivateKeyJwt() throws Exception {
    String tokenEndpoint = baseUrl() + "/oauth2/token";
    String assertion = TestTokens.clientAssertion(tokenEndpoint, TestTokens.clientKey());
    Response r = TestTokens.privateKeyJwtTokenRequest(baseUrl(), assertion, "system/Patient.rs system/MedicationRequest.rs");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String token = TestTokens.accessToken(r.body());
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getStringClaim("client_id")).isEqualTo(TestTokens.PKJ_CLIENT);
    assertThat(claims.getStringClaim("institution")).isEqualTo(TestTokens.PKJ_CLIENT_INSTITUTION);
    assertThat(claims.getStringClaim("scope").split(" "))
        .containsExactlyInAnyOrder("system/Patient.rs", "system/MedicationRequest.rs");
    assertThat(TestTokens.get(baseUrl() + "/fhir/Patient?_count=1", token).status()).isEqualTo(200);

    Response replay = TestTokens.privateKeyJwtTokenRequest(baseUrl(), assertion, "system/Patient.rs");
    assertThat(replay.status()).as("replayed jti").isEqualTo(401);
    Response strangerSigned = TestTokens.privateKeyJwtTokenRequest(baseUrl(),
        TestTokens.clientAssertion(tokenEndpoint, TestTokens.strangerKey()), "system/Patient.rs");
    assertThat(strangerSigned.status()).isEqualTo(401);
    Response wrongAudience = TestTokens.privateKeyJwtTokenRequest(baseUrl(),
        TestTokens.clientAssertion("https://elsewhere.example/token", TestTokens.clientKey()), "system/Patient.rs");
    assertThat(wrongAudience.status()).isEqualTo(401);

    fx.awaitAuditEvent("altid=" + TestTokens.PKJ_CLIENT + "&outcome=8",
        e -> e.getOutcomeDesc() != null && e.getOutcomeDesc().contains("client authentication failed"));
  }
}
