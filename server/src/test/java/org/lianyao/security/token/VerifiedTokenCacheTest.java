package org.lianyao.security.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/** The verified-token cache: signature once per token, claims on every use, bounded lifetime. */
class VerifiedTokenCacheTest {

  private static RSAKey signingKey;
  private static RSAKey otherKey;

  /** Wall clock of the validators (token expiry) and the cache's own ticker, both moved by the test. */
  private final AtomicLong nanos = new AtomicLong();
  private Instant now = Instant.parse("2026-11-23T08:00:00Z");
  private final AtomicInteger verifications = new AtomicInteger();
  private JwtDecoder cached;

  @BeforeAll
  static void keys() throws JOSEException {
    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  @BeforeEach
  void decoder() {
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
    timestamps.setClock(clock);
    OAuth2TokenValidator<Jwt> validator = timestamps;
    JwtDecoder verifying = AccessTokenDecoders.withKeys(new JWKSet(signingKey), validator);
    JwtDecoder counting = token -> {
      verifications.incrementAndGet();
      return verifying.decode(token);
    };
    Ticker ticker = nanos::get;
    cached = new VerifiedTokenCache(counting, validator, 100, Duration.ofMinutes(5), clock, ticker);
  }

  @Test
  void verifiesEachTokenOnce() throws JOSEException {
    String token = sign(signingKey, now.plusSeconds(3600));
    for (int i = 0; i < 5; i++) {
      assertThat(cached.decode(token).getSubject()).isEqualTo("H50011200004");
    }
    assertThat(verifications).hasValue(1);
  }

  @Test
  void neverRemembersATokenThatFailed() throws JOSEException {
    String forged = sign(otherKey, now.plusSeconds(3600));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> cached.decode(forged)).isInstanceOf(JwtException.class);
    }
    assertThat(verifications).hasValue(3);

    String token = sign(signingKey, now.plusSeconds(3600));
    cached.decode(token);
    String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
    assertThatThrownBy(() -> cached.decode(tampered)).isInstanceOf(JwtException.class);
    assertThat(verifications).hasValue(5);
  }

  @Test
  void refusesARememberedTokenOnceItHasExpired() throws JOSEException {
    String token = sign(signingKey, now.plusSeconds(60));
    cached.decode(token);
    now = now.plusSeconds(61); // the wall clock passes exp; the cache's ticker has not moved
    assertThatThrownBy(() -> cached.decode(token)).isInstanceOf(JwtValidationException.class)
        .hasMessageContaining("expired");
    assertThat(verifications).hasValue(1);
  }

  @Test
  void verifiesAgainAfterTheTimeToLive() throws JOSEException {
    String token = sign(signingKey, now.plusSeconds(3600));
    cached.decode(token);
    elapse(Duration.ofMinutes(4));
    cached.decode(token);
    assertThat(verifications).hasValue(1);
    elapse(Duration.ofMinutes(2));
    cached.decode(token);
    assertThat(verifications).hasValue(2);
  }

  @Test
  void anEntryLivesNoLongerThanItsToken() throws JOSEException {
    String token = sign(signingKey, now.plusSeconds(30));
    cached.decode(token);
    elapse(Duration.ofSeconds(31));
    assertThatThrownBy(() -> cached.decode(token)).isInstanceOf(JwtException.class);
    assertThat(verifications).hasValue(2); // gone from the cache, so verified (and refused) afresh
  }

  @Test
  void aZeroSizeTurnsTheCacheOff() {
    JwtDecoder plain = token -> null;
    assertThat(VerifiedTokenCache.wrap(plain, jwt -> null, 0, Duration.ofMinutes(5))).isSameAs(plain);
    assertThat(VerifiedTokenCache.wrap(plain, jwt -> null, 10, Duration.ZERO)).isSameAs(plain);
  }

  /** Moves the wall clock and the cache's ticker together. */
  private void elapse(Duration d) {
    nanos.addAndGet(d.toNanos());
    now = now.plus(d);
  }

  private static String sign(RSAKey key, Instant expiresAt) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("H50011200004")
        .issueTime(Date.from(expiresAt.minusSeconds(3600))).expirationTime(Date.from(expiresAt)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
