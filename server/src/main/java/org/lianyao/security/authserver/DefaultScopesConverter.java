package org.lianyao.security.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client-credentials request without {@code scope} gets the client's registered scopes
 * (RFC 6749 §3.3 lets the server apply a default; Spring Authorization Server would otherwise
 * issue a token with no scope at all, useless against a SMART server).
 */
final class DefaultScopesConverter implements AuthenticationConverter {

  private final OAuth2ClientCredentialsAuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();

  @Override
  public Authentication convert(HttpServletRequest request) {
    Authentication converted = delegate.convert(request);
    if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token
        && token.getScopes().isEmpty()
        && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
        && client.getRegisteredClient() != null) {
      return new OAuth2ClientCredentialsAuthenticationToken(client,
          client.getRegisteredClient().getScopes(), new HashMap<>(token.getAdditionalParameters()));
    }
    return converted;
  }
}
