package org.lianyao.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens for integration tests, obtained the way real clients obtain them:
 *
 * <ul>
 *   <li>from the running gateway's embedded authorization server over HTTP (demo clients with the
 *       demo secret, or {@link #PKJ_CLIENT} with a {@code private_key_jwt} client assertion);
 *   <li>signed by a test key whose JWKS the test context trusts as issuer {@link #TEST_ISSUER}
 *       (to craft any claims: other roles, expired, wrong audience …).
 * </ul>
 */
public final class TestTokens {

  /** The test issuer trusted by {@link PostgresIntegrationTest}'s context. */
  public static final String TEST_ISSUER = "https://test-issuer.lianyao.invalid";
  public static final String AUDIENCE = "lianyao-fhir";
  public static final String DEMO_SECRET = "demo-secret";
  /** A SMART Backend Services client registered with {@link #clientKey()}'s public key. */
  public static final String PKJ_CLIENT = "test-his-pkj";
  public static final String PKJ_CLIENT_INSTITUTION = "H50011200004";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  /** Tokens live 5 minutes: reuse them for 3 (client-secret checks are deliberately slow). */
  private static final Duration REUSE = Duration.ofMinutes(3);
  private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

  private static RSAKey issuerKey;
  private static RSAKey clientKey;
  private static Path issuerJwks;
  private static Path clientJwks;

  private record Cached(String token, Instant at) {}

  /** An HTTP response: status, headers, body. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst().map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private TestTokens() {}

  // ---------------------------------------------------------------- embedded authorization server

  /** A token for a demo client (secret {@code demo-secret}) with its default scopes, cached. */
  public static String token(String baseUrl, String clientId) {
    return token(baseUrl, clientId, null);
  }

  public static String token(String baseUrl, String clientId, String scope) {
    String key = baseUrl + "|" + clientId + "|" + scope;
    Cached cached = CACHE.get(key);
    if (cached != null && cached.at().plus(REUSE).isAfter(Instant.now())) {
      return cached.token();
    }
    Response r = clientSecretTokenRequest(baseUrl, clientId, DEMO_SECRET, scope);
    if (r.status() != 200) {
      throw new IllegalStateException("Token request for " + clientId + " failed: " + r.status() + " " + r.body());
    }
    String token = accessToken(r.body());
    CACHE.put(key, new Cached(token, Instant.now()));
    return token;
  }

  /** A new token, never from the cache (e.g. for a server that was restarted on the same port). */
  public static String freshToken(String baseUrl, String clientId) {
    Response r = clientSecretTokenRequest(baseUrl, clientId, DEMO_SECRET, null);
    if (r.status() != 200) {
      throw new IllegalStateException("Token request for " + clientId + " failed: " + r.status() + " " + r.body());
    }
    return accessToken(r.body());
  }

  /** POST /oauth2/token with client_secret_basic. */
  public static Response clientSecretTokenRequest(String baseUrl, String clientId, String secret, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (scope != null) {
      form.put("scope", scope);
    }
    String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return post(baseUrl + "/oauth2/token", form, Map.of("Authorization", "Basic " + basic));
  }

  /** POST /oauth2/token as SMART Backend Services: a client assertion, and no client_id. */
  public static Response privateKeyJwtTokenRequest(String baseUrl, String clientAssertion, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (scope != null) {
      form.put("scope", scope);
    }
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", clientAssertion);
    return post(baseUrl + "/oauth2/token", form, Map.of());
  }

  /** A client assertion for {@link #PKJ_CLIENT}, RS384, {@code aud} = the token endpoint. */
  public static String clientAssertion(String tokenEndpoint, RSAKey key) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(PKJ_CLIENT)
        .subject(PKJ_CLIENT)
        .audience(tokenEndpoint)
        .jwtID(UUID.randomUUID().toString())
        .expirationTime(Date.from(Instant.now().plusSeconds(240)))
        .build();
    return sign(claims, key, JWSAlgorithm.RS384);
  }

  public static String accessToken(String tokenResponseBody) {
    Matcher m = ACCESS_TOKEN.matcher(tokenResponseBody);
    if (!m.find()) {
      throw new IllegalStateException("No access_token in " + tokenResponseBody);
    }
    return m.group(1);
  }

  // ------------------------------------------------------------------------------ test issuer

  /** Claims of a valid test-issuer token: expiring in 5 minutes, right audience. */
  public static JWTClaimsSet.Builder claims(String clientId, String role, String institution, String scope) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(TEST_ISSUER)
        .subject(clientId)
        .audience(AUDIENCE)
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString())
        .claim("client_id", clientId)
        .claim("role", role)
        .claim("scope", scope);
    if (institution != null) {
      b.claim("institution", institution);
    }
    return b;
  }

  /** Signs with the trusted test issuer's key. */
  public static String testIssuerToken(JWTClaimsSet claims) {
    return sign(claims, issuerKey(), JWSAlgorithm.RS256);
  }

  public static String sign(JWTClaimsSet claims, RSAKey key, JWSAlgorithm alg) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token with one character of its signature changed. */
  public static String tamperSignature(String jwt) {
    int dot = jwt.lastIndexOf('.');
    int i = dot + 10;
    char c = jwt.charAt(i);
    char replacement = c == 'A' ? 'B' : 'A';
    return jwt.substring(0, i) + replacement + jwt.substring(i + 1);
  }

  public static synchronized RSAKey issuerKey() {
    if (issuerKey == null) {
      issuerKey = newKey("test-issuer");
    }
    return issuerKey;
  }

  public static synchronized RSAKey clientKey() {
    if (clientKey == null) {
      clientKey = newKey("test-client");
    }
    return clientKey;
  }

  /** A key nobody trusts. */
  public static RSAKey strangerKey() {
    return newKey("stranger");
  }

  /** JWKS file (public key) of the test issuer, for {@code lianyao.security.trusted-issuers}. */
  public static synchronized Path issuerJwks() {
    if (issuerJwks == null) {
      issuerJwks = writeJwks("issuer", issuerKey());
    }
    return issuerJwks;
  }

  /** JWKS file (public key) of {@link #PKJ_CLIENT}, for {@code lianyao.security.clients}. */
  public static synchronized Path clientJwks() {
    if (clientJwks == null) {
      clientJwks = writeJwks("client", clientKey());
    }
    return clientJwks;
  }

  private static RSAKey newKey(String prefix) {
    try {
      return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(prefix + "-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writeJwks(String name, RSAKey key) {
    try {
      Path file = Files.createTempFile("lianyao-test-" + name, ".jwks.json");
      file.toFile().deleteOnExit();
      Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------- HTTP

  public static Response get(String url, String bearer) {
    return get(url, bearer, Map.of());
  }

  public static Response get(String url, String bearer, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "application/fhir+json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(b::setHeader); // may replace the FHIR Accept header
    return send(b.build());
  }

  /** GET accepting any content type (non-FHIR endpoints). */
  public static Response getAny(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "*/*").build());
  }

  public static Response send(String method, String url, String bearer, String fhirJson) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, fhirJson == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(fhirJson, StandardCharsets.UTF_8))
        .header("Accept", "application/fhir+json");
    if (fhirJson != null) {
      b.header("Content-Type", "application/fhir+json; charset=UTF-8");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return send(b.build());
  }

  public static Response post(String url, Map<String, String> form, Map<String, String> headers) {
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
        .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/x-www-form-urlencoded");
    headers.forEach(b::setHeader); // may replace the FHIR Accept header
    return send(b.build());
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
