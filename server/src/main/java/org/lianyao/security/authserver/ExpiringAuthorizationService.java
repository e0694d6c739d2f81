package org.lianyao.security.authserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps issued client-credentials authorizations only while their tokens live. Spring's in-memory
 * service keeps them forever (a leak at one token per request), and the JWTs are self-contained, so
 * the store only serves token introspection and revocation on this node.
 */
final class ExpiringAuthorizationService implements OAuth2AuthorizationService {

  private final Cache<String, OAuth2Authorization> byId;
  private final Cache<String, String> idByAccessToken;

  ExpiringAuthorizationService(Duration tokenTimeToLive) {
    Duration keep = tokenTimeToLive.plusMinutes(1);
    this.byId = Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(200_000).build();
    this.idByAccessToken = Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(200_000).build();
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    byId.put(authorization.getId(), authorization);
    OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
    if (access != null) {
      idByAccessToken.put(access.getToken().getTokenValue(), authorization.getId());
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    byId.invalidate(authorization.getId());
    OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
    if (access != null) {
      idByAccessToken.invalidate(access.getToken().getTokenValue());
    }
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return byId.getIfPresent(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    if (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
      return null;
    }
    String id = idByAccessToken.getIfPresent(token);
    return id == null ? null : byId.getIfPresent(id);
  }
}
