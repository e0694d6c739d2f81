package org.lianyao.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

class SigningKeysTest {

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void rsaPkcs8PemGivesASigningKeyWithItsPublicHalf() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    JWK jwk = SigningKeys.fromPem(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    assertThat(jwk).isInstanceOf(RSAKey.class);
    assertThat(jwk.isPrivate()).isTrue();
    assertThat(((RSAKey) jwk).toRSAPublicKey()).isEqualTo(pair.getPublic());
    assertThat(jwk.getKeyID()).isNotBlank();
    assertThat(AccessTokenCustomizer.algorithmFor(jwk)).isEqualTo(SignatureAlgorithm.RS256);
  }

  @Test
  void ecKeysNeedTheirPublicKeyAndSignEs384OnP384() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = g.generateKeyPair();
    String privateOnly = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    assertThatThrownBy(() -> SigningKeys.fromPem(privateOnly)).hasMessageContaining("PUBLIC KEY");
    JWK jwk = SigningKeys.fromPem(privateOnly + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    assertThat(jwk).isInstanceOf(ECKey.class);
    assertThat(AccessTokenCustomizer.algorithmFor(jwk)).isEqualTo(SignatureAlgorithm.ES384);
  }

  @Test
  void pkcs1KeysAreRefusedWithTheConversionCommand() {
    assertThatThrownBy(() -> SigningKeys.fromPem(pem("RSA PRIVATE KEY", new byte[] {1, 2, 3})))
        .hasMessageContaining("openssl pkcs8");
  }

  @Test
  void generatedKeysAreFreshRsaKeys() {
    JWK a = SigningKeys.generate();
    JWK b = SigningKeys.generate();
    assertThat(a.getKeyID()).isNotEqualTo(b.getKeyID());
    assertThat(a.isPrivate()).isTrue();
  }
}
