package org.lianyao.security.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A {@link JwtDecoder} that verifies each distinct token's signature once. A HIS repeats one access
 * token on every request for its lifetime, and the signature check (plus parsing) was the largest
 * part of the bearer-token filter's cost. The key is the whole compact token, signature included,
 * so a token differing in any byte is verified afresh; only tokens that passed are remembered. On
 * every hit the claim validators run again, so an expired token is refused exactly as without the
 * cache. An entry lives until its token expires, at most {@code timeToLive}.
 */
public final class VerifiedTokenCache implements JwtDecoder {

  private final JwtDecoder delegate;
  private final OAuth2TokenValidator<Jwt> validator;
  private final Cache<String, Jwt> verified;

  VerifiedTokenCache(JwtDecoder delegate, OAuth2TokenValidator<Jwt> validator, long maximumSize,
      Duration timeToLive, Clock clock, Ticker ticker) {
    this.delegate = delegate;
    this.validator = validator;
    long maxNanos = timeToLive.toNanos();
    this.verified = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .ticker(ticker)
        .expireAfter(new Expiry<String, Jwt>() {
          @Override
          public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant exp = jwt.getExpiresAt();
            long untilExpiry = exp == null ? 0 : Duration.between(clock.instant(), exp).toNanos();
            return Math.max(0, Math.min(maxNanos, untilExpiry));
          }

          @Override
          public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
          }

          @Override
          public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  /** Wraps {@code delegate} unless the cache is configured off (size 0 or no time to live). */
  public static JwtDecoder wrap(JwtDecoder delegate, OAuth2TokenValidator<Jwt> validator, long maximumSize,
      Duration timeToLive) {
    if (maximumSize <= 0 || timeToLive == null || timeToLive.isZero() || timeToLive.isNegative()) {
      return delegate;
    }
    return new VerifiedTokenCache(delegate, validator, maximumSize, timeToLive, Clock.systemUTC(), Ticker.systemTicker());
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Jwt jwt = verified.getIfPresent(token);
    if (jwt == null) {
      jwt = delegate.decode(token);
      verified.put(token, jwt);
      return jwt;
    }
    OAuth2TokenValidatorResult result = validator.validate(jwt);
    if (result.hasErrors()) {
      verified.invalidate(token);
      throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
    }
    return jwt;
  }
}
