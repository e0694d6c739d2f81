package org.lianyao.security.token;

import java.util.Optional;
import org.lianyao.security.Role;
import org.lianyao.security.SecurityProperties;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token must say who is calling: a known role, a client id, and for roles that act for one
 * institution (his, pharmacist) the institution. A token that does not is unusable (401), not
 * merely insufficient.
 */
public class CallerClaimsValidator implements OAuth2TokenValidator<Jwt> {

  private final SecurityProperties.Claims claims;

  public CallerClaimsValidator(SecurityProperties.Claims claims) {
    this.claims = claims;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    Optional<Role> role = Role.fromClaim(jwt.getClaimAsString(claims.role()));
    if (role.isEmpty()) {
      return invalid("The token has no known '" + claims.role() + "' claim");
    }
    if (CallerJwtConverter.clientIdOf(jwt, claims) == null) {
      return invalid("The token names no client");
    }
    String institution = jwt.getClaimAsString(claims.institution());
    if (role.get().actsForInstitution() && (institution == null || institution.isBlank())) {
      return invalid("A " + role.get().claimValue() + " token must carry the '" + claims.institution() + "' claim");
    }
    return OAuth2TokenValidatorResult.success();
  }

  private static OAuth2TokenValidatorResult invalid(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
  }
}
