package org.lianyao.security.authserver;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lianyao.demo.DemoConsortiumLoader;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.SmartScopes;
import org.lianyao.security.audit.SecurityAuditService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The embedded authorization server (Spring Authorization Server) for SMART Backend Services:
 * client-credentials grant only, clients authenticated with {@code private_key_jwt} (RS384/ES384)
 * or, as a convenience, a client secret; JWT access tokens signed with the configured key.
 * Production may switch it off and trust an external issuer instead (see
 * {@code server/docs/security.md}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "lianyao.security",
    name = {"enabled", "embedded-authorization-server.enabled"}, havingValue = "true", matchIfMissing = true)
public class EmbeddedAuthorizationServerConfig {

  /** What the resource server needs to know about the embedded issuer. */
  public record EmbeddedIssuer(JWKSet verificationKeys, String fixedIssuer, AuthorizationServerSettings settings,
      boolean secretsAllowed) {}

  @Bean
  JWK embeddedSigningKey(SecurityProperties properties) {
    return SigningKeys.load(properties.embeddedAuthorizationServer());
  }

  @Bean
  JWKSource<SecurityContext> jwkSource(JWK embeddedSigningKey) {
    return new ImmutableJWKSet<>(new JWKSet(embeddedSigningKey));
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
    String issuer = properties.embeddedAuthorizationServer().issuer();
    AuthorizationServerSettings.Builder builder = AuthorizationServerSettings.builder();
    if (issuer != null && !issuer.isBlank()) {
      builder.issuer(issuer);
    }
    return builder.build();
  }

  @Bean
  RegisteredClientRepository registeredClientRepository(SecurityProperties properties, DemoConsortiumLoader demo) {
    Map<String, RegisteredClient> byClientId = new ConcurrentHashMap<>();
    Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();
    for (RegisteredClient c : ClientRegistry.build(properties, demo.isEnabled())) {
      byClientId.put(c.getClientId(), c);
      byId.put(c.getId(), c);
    }
    // The registry is configuration (possibly empty: all clients external). Spring Authorization
    // Server saves a client only to upgrade the encoding of its secret (e.g. {noop} to bcrypt),
    // which is kept in memory.
    return new RegisteredClientRepository() {
      @Override
      public void save(RegisteredClient registeredClient) {
        if (!byId.containsKey(registeredClient.getId())) {
          throw new UnsupportedOperationException("Clients are registered in lianyao.security.clients");
        }
        byId.put(registeredClient.getId(), registeredClient);
        byClientId.put(registeredClient.getClientId(), registeredClient);
      }

      @Override
      public RegisteredClient findById(String id) {
        return byId.get(id);
      }

      @Override
      public RegisteredClient findByClientId(String clientId) {
        return byClientId.get(clientId);
      }
    };
  }

  @Bean
  OAuth2AuthorizationService authorizationService(SecurityProperties properties) {
    return new ExpiringAuthorizationService(properties.embeddedAuthorizationServer().tokenTimeToLive());
  }

  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> accessTokenCustomizer(SecurityProperties properties, JWK embeddedSigningKey) {
    return new AccessTokenCustomizer(properties.audience(), properties.claims(), embeddedSigningKey);
  }

  @Bean
  EmbeddedIssuer embeddedIssuer(JWK embeddedSigningKey, SecurityProperties properties,
      AuthorizationServerSettings settings, DemoConsortiumLoader demo) {
    String issuer = properties.embeddedAuthorizationServer().issuer();
    boolean secrets = demo.isEnabled() || properties.clients().stream().anyMatch(c -> c.secret() != null);
    return new EmbeddedIssuer(new JWKSet(embeddedSigningKey).toPublicJWKSet(), issuer == null || issuer.isBlank() ? null : issuer, settings, secrets);
  }

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, SecurityProperties properties,
      SecurityAuditService audit) throws Exception {
    ClientAssertionDecoderFactory assertionDecoders =
        new ClientAssertionDecoderFactory(properties.embeddedAuthorizationServer().clientAssertionMaxLifetime());
    ClientAuthenticationFailureHandler failureHandler = new ClientAuthenticationFailureHandler(audit);
    OAuth2AuthorizationServerConfigurer authorizationServer = OAuth2AuthorizationServerConfigurer.authorizationServer();
    http.securityMatcher(authorizationServer.getEndpointsMatcher())
        .with(authorizationServer, as -> as
            .clientAuthentication(client -> client
                .authenticationConverter(new SmartClientAssertionConverter())
                .authenticationProviders(providers -> providers.forEach(p -> {
                  if (p instanceof JwtClientAssertionAuthenticationProvider jwt) {
                    jwt.setJwtDecoderFactory(assertionDecoders);
                  }
                }))
                .errorResponseHandler(failureHandler))
            .tokenEndpoint(token -> token
                .accessTokenRequestConverters(converters -> converters.replaceAll(c ->
                    c instanceof OAuth2ClientCredentialsAuthenticationConverter ? new DefaultScopesConverter() : c))
                .authenticationProviders(providers -> providers.forEach(p -> {
                  if (p instanceof OAuth2ClientCredentialsAuthenticationProvider cc) {
                    cc.setAuthenticationValidator(EmbeddedAuthorizationServerConfig::validateScopes);
                  }
                }))))
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Only the client-credentials grant is offered: the browser endpoints simply refuse.
        .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
    return http.build();
  }

  /**
   * SMART down-scoping: a client may ask for any scope its registered scopes imply
   * ({@code system/MedicationRequest.rs} under {@code system/MedicationRequest.cruds}), not only
   * the literal strings it was registered with.
   */
  static void validateScopes(OAuth2ClientCredentialsAuthenticationContext context) {
    OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
    Set<String> requested = request.getScopes();
    SmartScopes registered = SmartScopes.parse(List.copyOf(context.getRegisteredClient().getScopes()));
    for (String scope : requested) {
      if (!context.getRegisteredClient().getScopes().contains(scope) && !registered.implies(scope)) {
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
            "scope not granted to this client: " + scope, null));
      }
    }
  }
}
