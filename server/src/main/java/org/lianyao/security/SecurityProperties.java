package org.lianyao.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Institution identity and authorization ({@code lianyao.security.*}); see
 * {@code server/docs/security.md}.
 *
 * @param enabled false switches all of it off: every request is let through with no caller (the
 *     benchmark baseline only; never in production)
 * @param audience the {@code aud} value every accepted access token must carry, and the one the
 *     embedded authorization server writes
 * @param claims names of the claims that carry institution, role and client id
 * @param trustedIssuers external authorization servers (Keycloak and the like) whose tokens are
 *     accepted, in addition to {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * @param embeddedAuthorizationServer the built-in authorization server
 * @param clients OAuth2 clients of the embedded authorization server (production HIS systems)
 * @param operations extra or overriding FHIR operation rights: operation name (without {@code $})
 *     → roles allowed to invoke it, e.g. {@code shared-prescriptions: [his, pharmacist]}
 * @param smart what {@code /.well-known/smart-configuration} advertises when the embedded server is
 *     off
 * @param audit security audit trail settings
 * @param verifiedTokens the cache of access tokens whose signature has been verified
 */
@ConfigurationProperties("lianyao.security")
public record SecurityProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("lianyao-fhir") String audience,
    @DefaultValue Claims claims,
    List<TrustedIssuer> trustedIssuers,
    @DefaultValue EmbeddedAuthorizationServer embeddedAuthorizationServer,
    List<Client> clients,
    Map<String, List<String>> operations,
    @DefaultValue Smart smart,
    @DefaultValue Audit audit,
    @DefaultValue VerifiedTokens verifiedTokens) {

  public List<TrustedIssuer> trustedIssuers() {
    return trustedIssuers == null ? List.of() : trustedIssuers;
  }

  public List<Client> clients() {
    return clients == null ? List.of() : clients;
  }

  public Map<String, List<String>> operations() {
    return operations == null ? Map.of() : operations;
  }

  /**
   * @param institution claim with the NHSA institution code
   * @param role claim with the role ({@link Role#claimValue()})
   * @param clientId claim with the client id; {@code azp} and {@code sub} are tried after it
   */
  public record Claims(
      @DefaultValue("institution") String institution,
      @DefaultValue("role") String role,
      @DefaultValue("client_id") String clientId) {}

  /**
   * @param issuer the exact {@code iss} of its tokens
   * @param jwkSetUri where its signing keys are published; blank = discovered from the issuer's
   *     OpenID/OAuth metadata on first use
   * @param jwksLocation a JWKS file with its public keys instead of fetching them (air-gapped sites)
   */
  public record TrustedIssuer(String issuer, String jwkSetUri, Resource jwksLocation) {}

  /**
   * @param enabled run the built-in authorization server (token endpoint {@code /oauth2/token}, keys
   *     at {@code /oauth2/jwks})
   * @param issuer its public base URL (e.g. {@code https://lianyao.example.org}); blank = derived
   *     from each request, fine for one node reached under one name; set it behind a proxy
   * @param tokenTimeToLive lifetime of the access tokens it issues (SMART: at most 5 minutes)
   * @param signingKey PEM (PKCS#8 private key; for EC keys followed by the public key) that signs
   *     tokens, usually from the environment ({@code LIANYAO_SECURITY_EMBEDDEDAUTHORIZATIONSERVER_SIGNINGKEY})
   * @param signingKeyLocation the same PEM in a file ({@code file:/run/secrets/lianyao-signing.pem})
   * @param keystoreLocation a PKCS#12 keystore holding the signing key instead
   * @param keystorePassword its password
   * @param keystoreAlias the key's alias in it (first key entry when blank)
   * @param clientAssertionMaxLifetime longest {@code exp - now} accepted in a private_key_jwt client
   *     assertion (SMART: 5 minutes); also how long its {@code jti} is remembered against replay
   */
  public record EmbeddedAuthorizationServer(
      @DefaultValue("true") boolean enabled,
      String issuer,
      @DefaultValue("5m") Duration tokenTimeToLive,
      String signingKey,
      Resource signingKeyLocation,
      Resource keystoreLocation,
      String keystorePassword,
      String keystoreAlias,
      @DefaultValue("5m") Duration clientAssertionMaxLifetime) {}

  /**
   * One client of the embedded authorization server. Give either a JWKS (SMART backend services,
   * {@code private_key_jwt}) or a secret ({@code client_secret_basic}/{@code _post}).
   *
   * @param id the client_id
   * @param secret a {@code {bcrypt}…} (or {@code {noop}…}) encoded secret; from the environment
   * @param jwksUrl URL where the client publishes its public keys
   * @param jwksLocation file with the client's public JWKS
   * @param jwks the client's public JWKS as JSON text
   * @param institution NHSA institution code written into its tokens
   * @param role {@link Role#claimValue()}
   * @param scopes SMART scopes it may obtain; empty = its role's default scopes
   */
  public record Client(
      String id,
      String secret,
      String jwksUrl,
      Resource jwksLocation,
      String jwks,
      String institution,
      String role,
      List<String> scopes) {

    public List<String> scopes() {
      return scopes == null ? List.of() : scopes;
    }
  }

  /**
   * @param tokenEndpoint token endpoint of the external authorization server
   * @param jwksUri its JWKS URL
   */
  public record Smart(String tokenEndpoint, String jwksUri) {}

  /**
   * @param queueCapacity security audit events waiting to be written; beyond it events are dropped
   *     (and logged) rather than slowing requests down
   * @param maxBatch events written in one transaction at most: the writer takes all that wait,
   *     sharing a transaction's cost among them
   * @param linger how long the writer lets a batch gather after its first event before writing it
   *     (unless {@code maxBatch} events are there sooner): a transaction's fixed cost (commit, a round
   *     trip per table) is most of a lone event's, so at a steady trickle of cross-institution reads
   *     lingering writes a few events for the price of one. The cost: events reach the database (and
   *     the auditor) this much later, and a crash loses what waits. 0 writes every event at once.
   */
  public record Audit(@DefaultValue("10000") int queueCapacity, @DefaultValue("50") int maxBatch,
      @DefaultValue("200ms") Duration linger) {}

  /**
   * A HIS sends the same access token with every request until it expires; its signature is
   * verified once and the verified token is remembered. Expiry, audience and caller claims are still
   * checked on every request.
   *
   * @param maximumSize tokens remembered at most (0 turns the cache off)
   * @param timeToLive how long one is remembered at most; a key removed from an issuer's JWKS stops
   *     being trusted for tokens already seen after this long
   */
  public record VerifiedTokens(@DefaultValue("10000") long maximumSize, @DefaultValue("5m") Duration timeToLive) {}
}
