package org.lianyao.prescription.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Emergency override (紧急查阅, "break-glass") of a patient's refusal to share: the caller states a
 * reason, sees the prescriptions, and the access is written to the audit trail flagged as
 * emergency. The reason comes from the request header (default {@code X-Break-Glass}; Chinese text
 * percent-encoded as UTF-8, e.g. {@code X-Break-Glass: %E6%98%8F%E8%BF%B7%E6%80%A5%E6%95%91}) or, for
 * {@code $shared-prescriptions}, from its {@code breakGlassReason} parameter.
 */
public final class BreakGlass {

  static final String USER_DATA_REASON = BreakGlass.class.getName() + ".reason";
  /** Longest reason kept (audit text). */
  static final int MAX_REASON = 500;

  private BreakGlass() {}

  /** Sets the reason for this request (operation parameter). */
  public static void declare(RequestDetails request, String reason) {
    if (reason != null && !reason.isBlank()) {
      request.getUserData().put(USER_DATA_REASON, clean(reason));
    }
  }

  /** The stated reason, if the request breaks the glass. */
  public static Optional<String> reason(RequestDetails request, String header) {
    if (request == null) {
      return Optional.empty();
    }
    Object declared = request.getUserData().get(USER_DATA_REASON);
    if (declared instanceof String s && !s.isBlank()) {
      return Optional.of(s);
    }
    String raw = request.getHeader(header);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = raw;
    }
    String reason = clean(decoded);
    return reason.isBlank() ? Optional.empty() : Optional.of(reason);
  }

  static String clean(String reason) {
    String s = reason.replaceAll("\\p{Cntrl}", " ").strip();
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON);
  }
}
