package org.lianyao.feed.spi;

import java.util.Objects;

/**
 * The FHIR store refused a feed's transaction: a resource did not conform to its profile, belonged
 * to another institution, or referenced an unknown institution. The message stays stored and can
 * be replayed once the data or the configuration is fixed.
 */
public class FeedWriteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the store refused, for the HL7 error code. */
  public enum Reason {
    /** A resource does not conform to its Lianyao profile. */
    NOT_CONFORMING,
    /** A resource belongs to an institution other than the sender's, or the institution is unknown. */
    NOT_OWNED,
    /** Anything else the store reported (conflicting match URLs, …). */
    REFUSED,
    /**
     * A concurrent write touched the same resource (e.g. two messages creating one patient at the
     * same moment): nothing was written, and the whole attempt may simply be repeated.
     */
    CONFLICT
  }

  private final Reason reason;
  private final String chineseMessage;

  public FeedWriteException(Reason reason, String chineseMessage, String englishMessage, Throwable cause) {
    super(englishMessage, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.chineseMessage = Objects.requireNonNull(chineseMessage, "chineseMessage");
  }

  public Reason reason() {
    return reason;
  }

  public String chineseMessage() {
    return chineseMessage;
  }
}
