package org.lianyao.security.authserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lianyao.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;

/**
 * The embedded authorization server's token signing key: from a PEM (environment or file) or a
 * PKCS#12 keystore in production; generated at start when none is configured, which is fine for a
 * single demo node only (tokens die with the process, and other nodes would not trust them).
 */
final class SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private SigningKeys() {}

  static JWK load(SecurityProperties.EmbeddedAuthorizationServer config) {
    try {
      if (config.signingKey() != null && !config.signingKey().isBlank()) {
        JWK key = fromPem(config.signingKey());
        log.info("Token signing key loaded from configuration (kid {})", key.getKeyID());
        return key;
      }
      if (config.signingKeyLocation() != null) {
        JWK key = fromPem(read(config.signingKeyLocation()));
        log.info("Token signing key loaded from {} (kid {})", config.signingKeyLocation().getDescription(), key.getKeyID());
        return key;
      }
      if (config.keystoreLocation() != null) {
        JWK key = fromKeystore(config.keystoreLocation(), config.keystorePassword(), config.keystoreAlias());
        log.info("Token signing key loaded from keystore {} (kid {})",
            config.keystoreLocation().getDescription(), key.getKeyID());
        return key;
      }
    } catch (IOException | JOSEException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load the token signing key: " + e.getMessage(), e);
    }
    JWK key = generate();
    log.warn("No token signing key configured: generated an EPHEMERAL key (kid {}). Tokens become invalid"
        + " on restart and are not trusted by other nodes; configure"
        + " lianyao.security.embedded-authorization-server.signing-key(-location) in production.", key.getKeyID());
    return key;
  }

  static JWK generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
          .privateKey(pair.getPrivate())
          .keyUse(KeyUse.SIGNATURE)
          .keyIDFromThumbprint()
          .build();
    } catch (java.security.GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("Cannot generate a signing key", e);
    }
  }

  /** PKCS#8 private key (RSA; EC needs its PUBLIC KEY block too), as written by openssl. */
  static JWK fromPem(String pem) throws java.security.GeneralSecurityException, JOSEException {
    PrivateKey privateKey = null;
    PublicKey publicKey = null;
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
      switch (m.group(1)) {
        case "PRIVATE KEY" -> privateKey = privateKey(der);
        case "PUBLIC KEY" -> publicKey = publicKey(der);
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException(
            "PKCS#1/SEC1 keys are not supported; convert with: openssl pkcs8 -topk8 -nocrypt");
        default -> { }
      }
    }
    if (privateKey == null) {
      throw new IllegalArgumentException("no '-----BEGIN PRIVATE KEY-----' block found");
    }
    return toJwk(privateKey, publicKey);
  }

  private static JWK toJwk(PrivateKey privateKey, PublicKey publicKey)
      throws java.security.GeneralSecurityException, JOSEException {
    if (privateKey instanceof RSAPrivateCrtKey rsa) {
      RSAPublicKey pub = publicKey instanceof RSAPublicKey p ? p : (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      return new RSAKey.Builder(pub).privateKey(rsa).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint().build();
    }
    if (privateKey instanceof ECPrivateKey ec) {
      if (!(publicKey instanceof ECPublicKey pub)) {
        throw new IllegalArgumentException("an EC signing key needs its '-----BEGIN PUBLIC KEY-----' block too");
      }
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), pub).privateKey(ec)
          .keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint().build();
    }
    throw new IllegalArgumentException("unsupported key type " + privateKey.getAlgorithm());
  }

  private static PrivateKey privateKey(byte[] der) throws java.security.GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (java.security.spec.InvalidKeySpecException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  private static PublicKey publicKey(byte[] der) throws java.security.GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (java.security.spec.InvalidKeySpecException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    }
  }

  private static JWK fromKeystore(Resource location, String password, String alias)
      throws IOException, java.security.GeneralSecurityException, JOSEException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] pw = password == null ? new char[0] : password.toCharArray();
    try (InputStream in = location.getInputStream()) {
      ks.load(in, pw);
    }
    String chosen = alias;
    if (chosen == null || chosen.isBlank()) {
      for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
        String a = aliases.nextElement();
        if (ks.isKeyEntry(a)) {
          chosen = a;
          break;
        }
      }
    }
    if (chosen == null) {
      throw new IllegalArgumentException("the keystore holds no private key");
    }
    Key key = ks.getKey(chosen, pw);
    Certificate cert = ks.getCertificate(chosen);
    if (!(key instanceof PrivateKey pk)) {
      throw new IllegalArgumentException("keystore entry '" + chosen + "' is not a private key");
    }
    return toJwk(pk, cert == null ? null : cert.getPublicKey());
  }

  private static String read(Resource resource) throws IOException {
    try (InputStream in = resource.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
