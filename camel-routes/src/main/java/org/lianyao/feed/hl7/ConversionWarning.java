package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.Location;
import java.util.Objects;

/**
 * Something the converter accepted but could not map fully (unmatched drug, no resident ID, unknown
 * frequency, …). The data is kept and, where conventions define one, the resource is tagged; the
 * warning goes to the log and, optionally, to the ACK as an ERR segment with severity W.
 *
 * @param code HL7 table 0357 code that best describes the problem (ERR-3)
 * @param location where in the message (ERR-2), or null for message-level warnings
 * @param chinese message for the sending HIS's users (ERR-8)
 * @param english diagnostic for logs (ERR-7)
 */
public record ConversionWarning(ErrorCode code, Location location, String chinese, String english) {

  public ConversionWarning {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(chinese, "chinese");
    Objects.requireNonNull(english, "english");
  }

  /** Location as HL7 people write it ({@code RXE[2]-2}). */
  public String where() {
    return Locations.describe(location);
  }

  @Override
  public String toString() {
    return code.getCode() + " at " + where() + ": " + english;
  }
}
