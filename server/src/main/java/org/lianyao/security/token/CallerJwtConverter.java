package org.lianyao.security.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerAuthentication;
import org.lianyao.security.Role;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.SmartScopes;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a validated JWT into a {@link CallerAuthentication}. Authorities are {@code ROLE_HIS} …
 * and {@code SCOPE_system/…}, for {@code @PreAuthorize} on gateway APIs outside FHIR.
 */
public class CallerJwtConverter implements Converter<Jwt, AbstractAuthenticationToken> {

  private final SecurityProperties.Claims claims;

  public CallerJwtConverter(SecurityProperties.Claims claims) {
    this.claims = claims;
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    Caller caller = toCaller(jwt, claims);
    List<GrantedAuthority> authorities = new ArrayList<>();
    authorities.add(new SimpleGrantedAuthority("ROLE_" + caller.role().name()));
    for (String scope : caller.scopes().asList()) {
      authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
    }
    return new CallerAuthentication(jwt, authorities, caller);
  }

  /** Claims → caller; {@link CallerClaimsValidator} has already checked that they are usable. */
  static Caller toCaller(Jwt jwt, SecurityProperties.Claims claims) {
    Role role = Role.fromClaim(jwt.getClaimAsString(claims.role())).orElseThrow();
    String institution = jwt.getClaimAsString(claims.institution());
    return new Caller(clientIdOf(jwt, claims), institution == null || institution.isBlank() ? null : institution,
        role, scopesOf(jwt), jwt.getClaimAsString("iss"), jwt.getId());
  }

  static String clientIdOf(Jwt jwt, SecurityProperties.Claims claims) {
    for (String name : List.of(claims.clientId(), "azp", "sub")) {
      String v = jwt.getClaimAsString(name);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** {@code scope} as a space-separated string (RFC 9068) or a list; {@code scp} as fallback. */
  static SmartScopes scopesOf(Jwt jwt) {
    for (String name : List.of("scope", "scp")) {
      Object v = jwt.getClaim(name);
      if (v instanceof String s) {
        return SmartScopes.parse(s);
      }
      if (v instanceof Collection<?> c) {
        return SmartScopes.parse(c.stream().map(String::valueOf).toList());
      }
    }
    return SmartScopes.none();
  }
}
