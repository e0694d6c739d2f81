package org.lianyao.security.token;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Picks the token validation for a bearer token by its (not yet verified) issuer: one of the
 * configured external authorization servers, or the embedded one. A token from any other issuer
 * is refused before any key is fetched. The issuer read here only selects the keys; it is trusted
 * once the signature made with those keys is verified.
 *
 * <p>When the embedded server has no configured issuer, its issuer is the base URL of each request
 * (what Spring Authorization Server itself does), and only tokens naming that URL go to it.
 */
public class IssuerRoutingAuthenticationManagerResolver implements AuthenticationManagerResolver<HttpServletRequest> {

  private final Map<String, AuthenticationManager> external;
  private final AuthenticationManager embedded;
  private final String embeddedIssuer;

  /**
   * @param external issuer → validation of its tokens
   * @param embedded validation of the embedded server's tokens, null when it is off
   * @param embeddedIssuer its fixed issuer, null when derived from the request
   */
  public IssuerRoutingAuthenticationManagerResolver(Map<String, AuthenticationManager> external,
      AuthenticationManager embedded, String embeddedIssuer) {
    this.external = Map.copyOf(external);
    this.embedded = embedded;
    this.embeddedIssuer = embeddedIssuer;
  }

  @Override
  public AuthenticationManager resolve(HttpServletRequest request) {
    return authentication -> {
      String token = ((BearerTokenAuthenticationToken) authentication).getToken();
      String issuer;
      try {
        issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
      } catch (ParseException | RuntimeException e) {
        throw new InvalidBearerTokenException("The bearer token is not a well-formed JWT");
      }
      if (issuer == null) {
        throw new InvalidBearerTokenException("The token names no issuer");
      }
      AuthenticationManager manager = external.get(issuer);
      if (manager == null && embedded != null
          && issuer.equals(embeddedIssuer != null ? embeddedIssuer : requestIssuer(request))) {
        manager = embedded;
      }
      if (manager == null) {
        throw new InvalidBearerTokenException("The token's issuer is not trusted");
      }
      return manager.authenticate(authentication);
    };
  }

  /** The base URL of the request, as Spring Authorization Server derives its issuer. */
  public static String requestIssuer(HttpServletRequest request) {
    return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
        .replacePath(request.getContextPath())
        .replaceQuery(null)
        .fragment(null)
        .build()
        .toUriString();
  }
}
