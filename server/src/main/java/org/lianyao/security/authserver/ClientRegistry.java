package org.lianyao.security.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lianyao.security.Role;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.SmartScopes;
import org.lianyao.security.fhir.AccessPolicy;
import org.lianyao.security.token.AccessTokenDecoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The embedded authorization server's clients: those configured under
 * {@code lianyao.security.clients}, plus the demo clients when the demo consortium is loaded.
 * Each client carries the institution and role its tokens will name.
 */
public final class ClientRegistry {

  private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);

  /** Client settings under which the registry keeps what tokens should say. */
  static final String INSTITUTION = "lianyao.institution";
  static final String ROLE = "lianyao.role";
  /** The client's public JWKS (JSON), when given inline or as a file rather than by URL. */
  static final String JWKS = "lianyao.jwks";

  /** Demo secret: documented, and only ever registered with the demo consortium. */
  public static final String DEMO_SECRET = "demo-secret";
  public static final List<String> DEMO_INSTITUTIONS =
      List.of("H50011200001", "H50011200002", "H50011200003", "H50011200004");
  /** The pharmacy committee sits at the lead hospital. */
  public static final String DEMO_COMMITTEE_INSTITUTION = "H50011200001";

  private ClientRegistry() {}

  static List<RegisteredClient> build(SecurityProperties properties, boolean demo) {
    Map<String, RegisteredClient> clients = new LinkedHashMap<>();
    TokenSettings tokens = TokenSettings.builder()
        .accessTokenTimeToLive(properties.embeddedAuthorizationServer().tokenTimeToLive())
        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
        .build();
    for (SecurityProperties.Client c : properties.clients()) {
      RegisteredClient client = configured(c, tokens);
      if (clients.putIfAbsent(client.getClientId(), client) != null) {
        throw new IllegalStateException("lianyao.security.clients: client '" + c.id() + "' is listed twice");
      }
    }
    if (demo) {
      List<RegisteredClient> demoClients = new ArrayList<>();
      for (String code : DEMO_INSTITUTIONS) {
        demoClients.add(secretClient(code, "{noop}" + DEMO_SECRET, code, Role.HIS, List.of(), tokens));
      }
      demoClients.add(secretClient("committee", "{noop}" + DEMO_SECRET, DEMO_COMMITTEE_INSTITUTION,
          Role.COMMITTEE, List.of(), tokens));
      demoClients.add(secretClient("auditor", "{noop}" + DEMO_SECRET, null, Role.AUDITOR, List.of(), tokens));
      demoClients.add(secretClient("admin", "{noop}" + DEMO_SECRET, null, Role.ADMIN, List.of(), tokens));
      List<String> added = new ArrayList<>();
      for (RegisteredClient d : demoClients) {
        if (clients.putIfAbsent(d.getClientId(), d) == null) {
          added.add(d.getClientId());
        }
      }
      log.warn("Demo OAuth2 clients registered with the documented demo secret (demo consortium is on): {}", added);
    }
    log.info("Embedded authorization server: {} client(s)", clients.size());
    return List.copyOf(clients.values());
  }

  private static RegisteredClient configured(SecurityProperties.Client c, TokenSettings tokens) {
    String where = "lianyao.security.clients[" + c.id() + "]";
    if (c.id() == null || c.id().isBlank()) {
      throw new IllegalStateException("lianyao.security.clients: every client needs an id");
    }
    Role role = Role.fromClaim(c.role()).orElseThrow(() ->
        new IllegalStateException(where + ": unknown role '" + c.role() + "'"));
    if (role.actsForInstitution() && (c.institution() == null || c.institution().isBlank())) {
      throw new IllegalStateException(where + ": a " + role.claimValue() + " client needs an institution");
    }
    for (String scope : c.scopes()) {
      if (SmartScopes.parse(scope).isEmpty()) {
        throw new IllegalStateException(where + ": '" + scope + "' is not a SMART system scope");
      }
    }
    boolean hasKeys = c.jwks() != null || c.jwksLocation() != null || (c.jwksUrl() != null && !c.jwksUrl().isBlank());
    boolean hasSecret = c.secret() != null && !c.secret().isBlank();
    if (hasKeys == hasSecret) {
      throw new IllegalStateException(where + ": give either a JWKS (private_key_jwt) or a secret, not "
          + (hasKeys ? "both" : "neither"));
    }
    if (hasSecret) {
      return secretClient(c.id(), c.secret(), c.institution(), role, c.scopes(), tokens);
    }
    String jwks = null;
    if (c.jwks() != null) {
      jwks = AccessTokenDecoders.parseJwks(c.jwks()).toString();
    } else if (c.jwksLocation() != null) {
      jwks = AccessTokenDecoders.loadJwks(c.jwksLocation()).toString();
    }
    ClientSettings.Builder settings = ClientSettings.builder()
        // SMART Backend Services: RS384 or ES384. The decoder accepts both; this tells Spring
        // Authorization Server the method is private_key_jwt (asymmetric).
        .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
        .requireAuthorizationConsent(false);
    if (jwks != null) {
      settings.setting(JWKS, jwks);
    } else {
      settings.jwkSetUrl(c.jwksUrl());
    }
    applyIdentity(settings, c.institution(), role);
    return RegisteredClient.withId(c.id())
        .clientId(c.id())
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(c.scopes().isEmpty() ? AccessPolicy.defaultScopes(role) : c.scopes()))
        .clientSettings(settings.build())
        .tokenSettings(tokens)
        .build();
  }

  private static RegisteredClient secretClient(String id, String secret, String institution, Role role,
      List<String> scopes, TokenSettings tokens) {
    ClientSettings.Builder settings = ClientSettings.builder().requireAuthorizationConsent(false);
    applyIdentity(settings, institution, role);
    return RegisteredClient.withId(id)
        .clientId(id)
        .clientSecret(secret)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(scopes.isEmpty() ? AccessPolicy.defaultScopes(role) : scopes))
        .clientSettings(settings.build())
        .tokenSettings(tokens)
        .build();
  }

  private static void applyIdentity(ClientSettings.Builder settings, String institution, Role role) {
    settings.setting(ROLE, role.claimValue());
    if (institution != null && !institution.isBlank()) {
      settings.setting(INSTITUTION, institution);
    }
  }

  static Optional<String> institutionOf(RegisteredClient client) {
    return Optional.ofNullable(client.getClientSettings().getSetting(INSTITUTION));
  }

  static String roleOf(RegisteredClient client) {
    return client.getClientSettings().getSetting(ROLE);
  }

  static Optional<JWKSet> jwksOf(RegisteredClient client) {
    String json = client.getClientSettings().getSetting(JWKS);
    return json == null ? Optional.empty() : Optional.of(AccessTokenDecoders.parseJwks(json));
  }
}
