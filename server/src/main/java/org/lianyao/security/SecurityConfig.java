package org.lianyao.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import jakarta.servlet.DispatcherType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lianyao.fhir.FhirServerProperties;
import org.lianyao.security.audit.SecurityAuditMetrics;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.security.authserver.EmbeddedAuthorizationServerConfig.EmbeddedIssuer;
import org.lianyao.security.fhir.AccessPolicy;
import org.lianyao.security.fhir.GatewayAuthorizationInterceptor;
import org.lianyao.security.fhir.GatewayConsentInterceptor;
import org.lianyao.security.fhir.InstitutionDirectory;
import org.lianyao.security.fhir.ResourceOwnership;
import org.lianyao.security.fhir.SharingConsentService;
import org.lianyao.security.fhir.SharingPolicy;
import org.lianyao.security.token.AccessTokenDecoders;
import org.lianyao.security.token.CallerJwtConverter;
import org.lianyao.security.token.IssuerRoutingAuthenticationManagerResolver;
import org.lianyao.security.token.VerifiedTokenCache;
import org.lianyao.security.web.FhirAccessDeniedHandler;
import org.lianyao.security.web.FhirAuthenticationEntryPoint;
import org.lianyao.security.web.HeaderFirewall;
import org.lianyao.security.web.SmartConfigurationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Bearer-token protection of everything but the capability statement, SMART discovery, health and
 * the token endpoint; HAPI authorization and consent interceptors; the security audit trail. On
 * unless {@code lianyao.security.enabled=false} (benchmark baseline, see {@link SecurityDisabledConfig}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "lianyao.security", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableMethodSecurity
public class SecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  /** Standard Spring Boot resource-server properties, honoured as one more trusted issuer. */
  static final String SPRING_ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
  static final String SPRING_JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";

  @Bean
  SecurityAuditService securityAuditService(DaoRegistry daoRegistry, IIdHelperService<JpaPid> idHelper,
      PlatformTransactionManager transactionManager, SecurityProperties properties) {
    return new SecurityAuditService(daoRegistry, idHelper, transactionManager, properties.audit());
  }

  @Bean
  SecurityAuditMetrics securityAuditMetrics(SecurityAuditService audit) {
    return new SecurityAuditMetrics(audit);
  }

  @Bean
  AccessPolicy accessPolicy(SecurityProperties properties) {
    return new AccessPolicy(properties);
  }

  /** Before authorization, so that included resources a caller may not see are dropped, not fatal. */
  @Bean
  @Order(10)
  GatewayConsentInterceptor gatewayConsentInterceptor(List<SharingPolicy> policies, ResourceOwnership ownership,
      InstitutionDirectory directory, AccessPolicy accessPolicy, SecurityAuditService audit, FhirContext fhirContext) {
    return new GatewayConsentInterceptor(
        new SharingConsentService(policies, ownership, directory, accessPolicy, audit, fhirContext));
  }

  @Bean
  @Order(20)
  GatewayAuthorizationInterceptor gatewayAuthorizationInterceptor(AccessPolicy policy, ResourceOwnership ownership,
      InstitutionDirectory directory, SecurityAuditService audit, FhirContext fhirContext) {
    return new GatewayAuthorizationInterceptor(policy, ownership, directory, audit, fhirContext);
  }

  @Bean
  FilterRegistrationBean<SmartConfigurationFilter> smartConfigurationFilter(ObjectProvider<EmbeddedIssuer> embedded,
      SecurityProperties properties) {
    FilterRegistrationBean<SmartConfigurationFilter> registration =
        new FilterRegistrationBean<>(new SmartConfigurationFilter(embedded.getIfAvailable(), properties));
    registration.setUrlPatterns(SmartConfigurationFilter.PATHS);
    // After Spring Security (order -100), which lets these paths through unauthenticated.
    registration.setOrder(0);
    return registration;
  }

  @Bean
  IssuerRoutingAuthenticationManagerResolver bearerTokenResolver(SecurityProperties properties, Environment env,
      ObjectProvider<EmbeddedIssuer> embeddedIssuer) {
    CallerJwtConverter converter = new CallerJwtConverter(properties.claims());
    Map<String, AuthenticationManager> external = new LinkedHashMap<>();
    List<SecurityProperties.TrustedIssuer> trusted = new java.util.ArrayList<>(properties.trustedIssuers());
    String springIssuer = env.getProperty(SPRING_ISSUER_URI);
    if (springIssuer != null && !springIssuer.isBlank()) {
      trusted.add(new SecurityProperties.TrustedIssuer(springIssuer, env.getProperty(SPRING_JWK_SET_URI), null));
    }
    for (SecurityProperties.TrustedIssuer t : trusted) {
      if (t.issuer() == null || t.issuer().isBlank()) {
        throw new IllegalStateException("lianyao.security.trusted-issuers: every entry needs an issuer");
      }
      OAuth2TokenValidator<Jwt> validator =
          AccessTokenDecoders.validator(t.issuer(), properties.audience(), properties.claims());
      external.put(t.issuer(), manager(cached(AccessTokenDecoders.forIssuer(t, validator), validator, properties),
          converter));
      log.info("Trusting access tokens from issuer {}", t.issuer());
    }
    EmbeddedIssuer embedded = embeddedIssuer.getIfAvailable();
    AuthenticationManager embeddedManager = null;
    if (embedded != null) {
      OAuth2TokenValidator<Jwt> validator =
          AccessTokenDecoders.validator(embedded.fixedIssuer(), properties.audience(), properties.claims());
      embeddedManager = manager(
          cached(AccessTokenDecoders.withKeys(embedded.verificationKeys(), validator), validator, properties), converter);
      log.info("Trusting access tokens from the embedded authorization server ({})",
          embedded.fixedIssuer() != null ? embedded.fixedIssuer() : "issuer = request base URL");
    }
    if (external.isEmpty() && embedded == null) {
      throw new IllegalStateException("Security is on but no token issuer is trusted: enable"
          + " lianyao.security.embedded-authorization-server or configure lianyao.security.trusted-issuers"
          + " (or " + SPRING_ISSUER_URI + ")");
    }
    return new IssuerRoutingAuthenticationManagerResolver(external, embeddedManager,
        embedded == null ? null : embedded.fixedIssuer());
  }

  private static JwtDecoder cached(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator,
      SecurityProperties properties) {
    return VerifiedTokenCache.wrap(decoder, validator, properties.verifiedTokens().maximumSize(),
        properties.verifiedTokens().timeToLive());
  }

  private static AuthenticationManager manager(JwtDecoder decoder, CallerJwtConverter converter) {
    JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
    provider.setJwtAuthenticationConverter(converter);
    return new ProviderManager(provider);
  }

  /** Spring's strict firewall with a cheaper header check ({@link HeaderFirewall}). */
  @Bean
  WebSecurityCustomizer headerFirewall() {
    return web -> web.httpFirewall(HeaderFirewall.strict());
  }

  @Bean
  FhirAuthenticationEntryPoint fhirAuthenticationEntryPoint(FhirContext fhirContext, SecurityAuditService audit,
      SecurityProperties properties) {
    return new FhirAuthenticationEntryPoint(fhirContext, audit, properties.claims());
  }

  @Bean
  @Order(2)
  SecurityFilterChain resourceServerSecurityFilterChain(HttpSecurity http,
      IssuerRoutingAuthenticationManagerResolver resolver, FhirAuthenticationEntryPoint entryPoint,
      FhirContext fhirContext, SecurityAuditService audit) throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    FhirAccessDeniedHandler deniedHandler = new FhirAccessDeniedHandler(fhirContext, audit);
    http.authorizeHttpRequests(authorize -> authorize
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .requestMatchers(path.matcher(HttpMethod.GET, "/fhir/metadata"),
                path.matcher(HttpMethod.HEAD, "/fhir/metadata")).permitAll()
            .requestMatchers(SmartConfigurationFilter.PATHS.stream().map(path::matcher)
                .toArray(org.springframework.security.web.util.matcher.RequestMatcher[]::new)).permitAll()
            .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**")).permitAll()
            // Metrics and the like describe the whole consortium's traffic: the administrator's.
            .requestMatchers(path.matcher("/actuator/**")).hasRole("ADMIN")
            .anyRequest().authenticated())
        .oauth2ResourceServer(oauth2 -> oauth2
            .authenticationManagerResolver(resolver)
            .authenticationEntryPoint(entryPoint)
            .accessDeniedHandler(deniedHandler))
        .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Bearer tokens, never cookies: no CSRF exposure, no sessions, no login pages.
        .csrf(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable);
    return http.build();
  }

  /**
   * Spring Security alone would let any valid token do anything: refuse to start when HAPI's
   * authorization interceptors are switched off while security is on.
   */
  @Bean
  InitializingBean authorizationInterceptorsGuard(FhirServerProperties fhir) {
    return () -> {
      if (!fhir.gatewayInterceptorsEnabled()) {
        throw new IllegalStateException("lianyao.fhir.gateway-interceptors-enabled=false would switch off FHIR"
            + " authorization while tokens are still accepted; for a benchmark baseline also set"
            + " lianyao.security.enabled=false");
      }
    };
  }
}
