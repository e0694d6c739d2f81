package org.lianyao.security.authserver;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.lianyao.security.audit.SecurityAuditService;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Failed client authentication at the token endpoint: the OAuth2 error response Spring
 * Authorization Server would send (401 {@code invalid_client}, details withheld from the caller),
 * and a security alert in the audit trail naming the client that was claimed.
 */
final class ClientAuthenticationFailureHandler implements AuthenticationFailureHandler {

  private final HttpMessageConverter<OAuth2Error> converter = new OAuth2ErrorHttpMessageConverter();
  private final SecurityAuditService audit;

  ClientAuthenticationFailureHandler(SecurityAuditService audit) {
    this.audit = audit;
  }

  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
      AuthenticationException exception) throws IOException {
    OAuth2Error error = exception instanceof OAuth2AuthenticationException o
        ? o.getError() : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
    boolean invalidClient = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode());
    String claimed = claimedClient(request);
    audit.refused(new SecurityAuditService.Refusal(
        new SecurityAuditService.Agent(claimed, null, null, false, request.getRemoteAddr()),
        request.getMethod(), request.getRequestURI(), null, invalidClient,
        "客户端认证失败，未签发访问令牌",
        "client authentication failed at the token endpoint: " + error.getErrorCode()
            + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"),
        "client-authentication", null));
    ServletServerHttpResponse httpResponse = new ServletServerHttpResponse(response);
    if (invalidClient) {
      httpResponse.setStatusCode(HttpStatus.UNAUTHORIZED);
      String authorization = request.getHeader("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"lianyao\"");
      }
    } else {
      httpResponse.setStatusCode(HttpStatus.BAD_REQUEST);
    }
    converter.write(new OAuth2Error(error.getErrorCode()), null, httpResponse);
  }

  /** The client the request claimed to be, unverified (for the audit trail only). */
  static String claimedClient(HttpServletRequest request) {
    String id = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
    if (id != null) {
      return id;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon > 0 ? java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8) : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
    if (assertion != null) {
      try {
        return JWTParser.parse(assertion).getJWTClaimsSet().getIssuer();
      } catch (java.text.ParseException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
