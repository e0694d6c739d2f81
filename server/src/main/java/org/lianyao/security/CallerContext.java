package org.lianyao.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, for services and HAPI interceptors/providers:
 *
 * <pre>{@code
 * Caller caller = CallerContext.require();            // 401-free code paths: throws if absent
 * String nhsaCode = caller.institution();             // e.g. "H50011200004"
 * if (caller.hasRole(Role.COMMITTEE)) { ... }
 * }</pre>
 *
 * Empty when security is switched off ({@code lianyao.security.enabled=false}) and for the
 * gateway's own background work (Camel feeds, demo loader, HAPI jobs), which runs as the system.
 */
public final class CallerContext {

  private CallerContext() {}

  /** The caller of the current request thread, from Spring Security's context. */
  public static Optional<Caller> current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth instanceof CallerAuthentication ca && ca.isAuthenticated()) {
      return Optional.of(ca.caller());
    }
    return Optional.empty();
  }

  /**
   * The caller behind a HAPI request. A {@link SystemRequestDetails} is the gateway itself and has
   * no caller, even if it is created on a request thread.
   */
  public static Optional<Caller> of(RequestDetails requestDetails) {
    if (requestDetails == null || requestDetails instanceof SystemRequestDetails) {
      return Optional.empty();
    }
    Object cached = requestDetails.getUserData().get(CallerContext.class.getName());
    if (cached instanceof Caller c) {
      return Optional.of(c);
    }
    Optional<Caller> caller = current();
    caller.ifPresent(c -> requestDetails.getUserData().put(CallerContext.class.getName(), c));
    return caller;
  }

  /** The current caller; throws {@link IllegalStateException} when there is none. */
  public static Caller require() {
    return current().orElseThrow(() -> new IllegalStateException(
        "No authenticated caller on this thread (security off, or system work)"));
  }
}
