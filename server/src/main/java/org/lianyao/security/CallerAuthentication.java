package org.lianyao.security;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** A validated bearer JWT together with the {@link Caller} derived from its claims. */
public final class CallerAuthentication extends JwtAuthenticationToken {

  private final Caller caller;

  public CallerAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, Caller caller) {
    super(jwt, authorities, caller.clientId());
    this.caller = caller;
  }

  public Caller caller() {
    return caller;
  }

  @Override
  public boolean equals(Object obj) {
    return super.equals(obj) && obj instanceof CallerAuthentication other && caller.equals(other.caller);
  }

  @Override
  public int hashCode() {
    return super.hashCode() * 31 + caller.hashCode();
  }
}
