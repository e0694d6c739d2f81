package org.lianyao.security;

import java.util.Optional;

/**
 * The authenticated system behind a request, taken from its access token. Services get it with
 * {@link CallerContext#current()} (or {@link CallerContext#of(ca.uhn.fhir.rest.api.server.RequestDetails)}
 * inside HAPI interceptors and providers).
 *
 * @param clientId the OAuth2 client (for demo HIS clients: the NHSA institution code)
 * @param institution the NHSA institution code (医保定点医疗机构编码) the client acts for, e.g.
 *     {@code H50011200004}; null for consortium-wide roles that name none
 * @param role what kind of system the client is
 * @param scopes the SMART {@code system/} scopes granted to this token
 * @param issuer the token issuer
 * @param tokenId the token's {@code jti} (for audit correlation), may be null
 */
public record Caller(
    String clientId, String institution, Role role, SmartScopes scopes, String issuer, String tokenId) {

  public Optional<String> institutionCode() {
    return Optional.ofNullable(institution);
  }

  public boolean hasRole(Role... roles) {
    for (Role r : roles) {
      if (r == role) {
        return true;
      }
    }
    return false;
  }

  /** True if both the role and the token's scopes allow this interaction on this type. */
  public boolean hasScope(String resourceType, Interaction interaction) {
    return scopes.allows(resourceType, interaction);
  }

  /** Identity of the rights this caller has: callers with equal keys get the same HAPI rule list. */
  public String rightsKey() {
    return role.claimValue() + "|" + institution + "|" + scopes;
  }

  @Override
  public String toString() {
    // Deliberately no token material: this is what ends up in logs.
    return "Caller[" + clientId + ", " + role.claimValue()
        + (institution == null ? "" : ", " + institution) + "]";
  }
}
