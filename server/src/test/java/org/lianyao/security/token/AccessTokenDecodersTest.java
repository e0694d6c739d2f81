package org.lianyao.security.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** Signature checks of the in-memory key-set decoder, with its once-converted verification keys. */
class AccessTokenDecodersTest {

  private static RSAKey signingKey;
  private static RSAKey otherKey;
  private static JwtDecoder decoder;

  @BeforeAll
  static void keys() throws JOSEException {
    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    // The embedded server's set holds the private key too: the decoder must keep only the public half.
    decoder = AccessTokenDecoders.withKeys(new JWKSet(signingKey), jwt -> OAuth2TokenValidatorResult.success());
  }

  @Test
  void acceptsATokenSignedWithTheKeyRepeatedly() throws JOSEException {
    String token = sign(signingKey, JWSAlgorithm.RS256);
    for (int i = 0; i < 3; i++) {
      assertThat(decoder.decode(token).getSubject()).isEqualTo("H50011200004");
    }
  }

  @Test
  void rejectsTheSameKeyIdSignedByAnotherKey() throws JOSEException {
    String forged = sign(otherKey, JWSAlgorithm.RS256);
    assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
  }

  @Test
  void rejectsATamperedSignature() throws JOSEException {
    String token = sign(signingKey, JWSAlgorithm.RS256);
    char last = token.charAt(token.length() - 2);
    String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    assertThatThrownBy(() -> decoder.decode(tampered)).isInstanceOf(JwtException.class);
  }

  @Test
  void rejectsSharedSecretAlgorithms() throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims());
    jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef0123456789abcdef".getBytes()));
    String token = jwt.serialize();
    assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
  }

  @Test
  void selectsNoKeyForAnUnknownKeyId() throws JOSEException {
    RSAKey renamed = new RSAKey.Builder(signingKey).keyID("k2").build();
    String token = sign(renamed, JWSAlgorithm.RS256);
    assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
  }

  private static String sign(RSAKey key, JWSAlgorithm alg) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().subject("H50011200004").issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300))).build();
  }
}
