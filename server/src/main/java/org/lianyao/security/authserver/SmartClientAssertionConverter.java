package org.lianyao.security.authserver;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Reads a {@code private_key_jwt} client assertion from a token request the way SMART Backend
 * Services clients send it: without a {@code client_id} parameter (Spring Authorization Server
 * insists on one). The client id is then the assertion's {@code iss}, which must equal its
 * {@code sub}; both are verified against the registered client once the signature is checked.
 */
final class SmartClientAssertionConverter implements AuthenticationConverter {

  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  @Override
  public Authentication convert(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    String[] types = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
    String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
    if (types == null || assertions == null || !JWT_BEARER.equals(types[0])) {
      return null;
    }
    if (types.length != 1 || assertions.length != 1) {
      throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
    }
    String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
    if (!StringUtils.hasText(clientId)) {
      try {
        JWTClaimsSet claims = JWTParser.parse(assertions[0]).getJWTClaimsSet();
        clientId = claims.getIssuer();
        if (!StringUtils.hasText(clientId) || !clientId.equals(claims.getSubject())) {
          throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
      } catch (ParseException e) {
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
      }
    }
    return new OAuth2ClientAuthenticationToken(clientId, new ClientAuthenticationMethod(JWT_BEARER),
        assertions[0], Map.of());
  }
}
