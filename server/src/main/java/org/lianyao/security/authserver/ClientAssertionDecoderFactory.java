package org.lianyao.security.authserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies SMART Backend Services client assertions ({@code private_key_jwt}): signed RS384 or
 * ES384 with a key from the client's registered JWKS (inline, file or URL); {@code iss} = {@code sub}
 * = client id and {@code aud} = the token endpoint (Spring Authorization Server's checks); in
 * addition, as SMART requires, a {@code jti} that was not used before and an {@code exp} at most
 * five minutes ahead.
 *
 * <p>The {@code jti} memory is per node: behind a load balancer without sticky routing a replay to
 * another node inside the short assertion lifetime is not detected.
 */
final class ClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

  private final Duration maxLifetime;
  private final ConcurrentMap<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
  /** Seen (client, jti) pairs, remembered for as long as an assertion can live. */
  private final Cache<String, Boolean> seenJtis;

  ClientAssertionDecoderFactory(Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
    this.seenJtis = Caffeine.newBuilder().expireAfterWrite(maxLifetime.plusMinutes(1)).maximumSize(1_000_000).build();
  }

  @Override
  public JwtDecoder createDecoder(RegisteredClient client) {
    return decoders.computeIfAbsent(client.getId(), id -> {
      NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor(keysOf(client)));
      decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
          JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client),
          this::lifetimeAtMostMax,
          jwt -> notReplayed(client, jwt)));
      return decoder;
    });
  }

  private static JWKSource<SecurityContext> keysOf(RegisteredClient client) {
    Optional<JWKSet> inline = ClientRegistry.jwksOf(client);
    if (inline.isPresent()) {
      return new ImmutableJWKSet<>(inline.get());
    }
    String url = client.getClientSettings().getJwkSetUrl();
    try {
      // Cached and rate-limited by Nimbus; refreshed when an unknown kid shows up (key rotation).
      return JWKSourceBuilder.create(URI.create(url).toURL()).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("Client " + client.getClientId() + ": bad JWKS URL", e);
    }
  }

  private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    return processor;
  }

  private OAuth2TokenValidatorResult lifetimeAtMostMax(Jwt jwt) {
    Instant exp = jwt.getExpiresAt();
    if (exp == null || exp.isAfter(Instant.now().plus(maxLifetime).plusSeconds(30))) {
      return invalid("client assertion exp must be at most " + maxLifetime.toMinutes() + " minutes ahead");
    }
    return OAuth2TokenValidatorResult.success();
  }

  private OAuth2TokenValidatorResult notReplayed(RegisteredClient client, Jwt jwt) {
    String jti = jwt.getId();
    if (jti == null || jti.isBlank()) {
      return invalid("client assertion needs a jti");
    }
    if (seenJtis.asMap().putIfAbsent(client.getClientId() + "\n" + jti, Boolean.TRUE) != null) {
      return invalid("client assertion jti was already used");
    }
    return OAuth2TokenValidatorResult.success();
  }

  private static OAuth2TokenValidatorResult invalid(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null));
  }
}
