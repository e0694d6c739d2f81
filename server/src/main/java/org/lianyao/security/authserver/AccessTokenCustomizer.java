package org.lianyao.security.authserver;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import org.lianyao.security.SecurityProperties;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Writes what the gateway needs into the access tokens it issues: the configured audience, the
 * client's institution and role, {@code client_id}, and {@code scope} as a space-separated string
 * (RFC 9068) instead of Spring Authorization Server's JSON array.
 */
final class AccessTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  private final String audience;
  private final SecurityProperties.Claims claims;
  private final SignatureAlgorithm algorithm;

  AccessTokenCustomizer(String audience, SecurityProperties.Claims claims, JWK signingKey) {
    this.audience = audience;
    this.claims = claims;
    this.algorithm = algorithmFor(signingKey);
  }

  static SignatureAlgorithm algorithmFor(JWK key) {
    if (key instanceof ECKey ec) {
      Curve curve = ec.getCurve();
      if (Curve.P_384.equals(curve)) {
        return SignatureAlgorithm.ES384;
      }
      if (Curve.P_521.equals(curve)) {
        return SignatureAlgorithm.ES512;
      }
      return SignatureAlgorithm.ES256;
    }
    return SignatureAlgorithm.RS256;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      return;
    }
    context.getJwsHeader().algorithm(algorithm);
    RegisteredClient client = context.getRegisteredClient();
    context.getClaims().audience(List.of(audience));
    context.getClaims().claim("client_id", client.getClientId());
    context.getClaims().claim(claims.role(), ClientRegistry.roleOf(client));
    ClientRegistry.institutionOf(client).ifPresent(code -> context.getClaims().claim(claims.institution(), code));
    if (context.getAuthorizedScopes().isEmpty()) {
      context.getClaims().claims(c -> c.remove("scope"));
    } else {
      context.getClaims().claim("scope", String.join(" ", context.getAuthorizedScopes()));
    }
  }
}
