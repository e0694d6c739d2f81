package org.lianyao.security.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.lianyao.security.SecurityProperties;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/** Access-token decoders: signature against the issuer's keys, then the gateway's claim checks. */
public final class AccessTokenDecoders {

  /** Accepted signature algorithms (asymmetric only: no shared-secret tokens). */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256);

  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private AccessTokenDecoders() {}

  /** Issuer (unless null), audience, expiry present and not passed, caller claims. */
  public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience, SecurityProperties.Claims claims) {
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
    validators.add(new JwtTimestampValidator(CLOCK_SKEW));
    if (issuer != null) {
      validators.add(new JwtIssuerValidator(issuer));
    }
    validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
        aud -> aud != null && aud.contains(audience)));
    validators.add(new CallerClaimsValidator(claims));
    return new DelegatingOAuth2TokenValidator<>(validators);
  }

  /** Decoder verifying against a fixed key set held in memory (embedded server, JWKS file). */
  public static JwtDecoder withKeys(JWKSet keys, OAuth2TokenValidator<Jwt> validator) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new FixedKeySelector(keys));
    // Plain JWTs and RFC 9068 "at+jwt" access tokens are both fine.
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
        JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    // Claims are checked by Spring's validators, with clear error descriptions.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(validator);
    return decoder;
  }

  /** Decoder for an external issuer; its keys are fetched lazily so start-up does not depend on it. */
  public static JwtDecoder forIssuer(SecurityProperties.TrustedIssuer trusted, OAuth2TokenValidator<Jwt> validator) {
    if (trusted.jwksLocation() != null) {
      return withKeys(loadJwks(trusted.jwksLocation()), validator);
    }
    return new SupplierJwtDecoder(() -> {
      NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = trusted.jwkSetUri() != null && !trusted.jwkSetUri().isBlank()
          ? NimbusJwtDecoder.withJwkSetUri(trusted.jwkSetUri())
          : NimbusJwtDecoder.withIssuerLocation(trusted.issuer());
      NimbusJwtDecoder decoder = builder.jwsAlgorithms(algs -> {
        algs.add(SignatureAlgorithm.RS256);
        algs.add(SignatureAlgorithm.RS384);
        algs.add(SignatureAlgorithm.ES256);
        algs.add(SignatureAlgorithm.ES384);
        algs.add(SignatureAlgorithm.PS256);
      }).build();
      decoder.setJwtValidator(validator);
      return decoder;
    });
  }

  /**
   * Selects verification keys like Nimbus's {@code JWSVerificationKeySelector} (allowed algorithm,
   * then the JWKs matching the header's key type, id and use) but converts each JWK to a Java key
   * once: the Nimbus selector re-converts on every token (base64 and big-integer decoding, plus the
   * private half of the embedded server's signing key), which profiling showed as a third of the
   * bearer-token filter's time.
   */
  static final class FixedKeySelector implements JWSKeySelector<SecurityContext> {

    private final JWKSet keys;
    private final Map<JWK, List<Key>> javaKeys = new IdentityHashMap<>();

    FixedKeySelector(JWKSet keys) {
      this.keys = keys.toPublicJWKSet();
      for (JWK jwk : this.keys.getKeys()) {
        javaKeys.put(jwk, KeyConverter.toJavaKeys(List.of(jwk)).stream()
            .filter(k -> k instanceof PublicKey).toList());
      }
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) {
      if (!ALGORITHMS.contains(header.getAlgorithm())) {
        return List.of();
      }
      return new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys).stream()
          .flatMap(jwk -> javaKeys.getOrDefault(jwk, List.of()).stream())
          .toList();
    }
  }

  /** Reads a JWKS document; only public keys are kept. */
  public static JWKSet loadJwks(Resource resource) {
    try (InputStream in = resource.getInputStream()) {
      return parseJwks(new String(in.readAllBytes(), StandardCharsets.UTF_8)).toPublicJWKSet();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read JWKS from " + resource.getDescription() + ": " + e.getMessage(), e);
    }
  }

  public static JWKSet parseJwks(String json) {
    try {
      return JWKSet.parse(json).toPublicJWKSet();
    } catch (ParseException e) {
      throw new IllegalStateException("Not a JWKS document: " + e.getMessage(), e);
    }
  }
}
