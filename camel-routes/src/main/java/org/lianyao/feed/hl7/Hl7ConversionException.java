package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import java.util.Objects;

/**
 * A message that cannot be accepted, with everything the ACK needs: the HL7 table 0357 error code
 * (ERR-3), where the problem is (ERR-2 / pre-2.5 ERR-1), a Chinese message for the sending HIS's
 * users (ERR-8, MSA-3) and an English diagnostic for logs (ERR-7, {@link #getMessage()}).
 *
 * <p>It extends HAPI's {@link HL7Exception} so that HAPI's error-code and location model is used
 * as is; {@link #acknowledgmentCode()} decides AE versus AR.
 */
public final class Hl7ConversionException extends HL7Exception {

  private static final long serialVersionUID = 1L;

  private final String chineseMessage;
  private final boolean reject;
  /** Processing failed after the message was stored: AE whatever the code, the message is kept. */
  private final boolean kept;

  private Hl7ConversionException(ErrorCode code, Location location, String chinese, String english,
      boolean reject, Throwable cause) {
    this(code, location, chinese, english, reject, false, cause);
  }

  private Hl7ConversionException(ErrorCode code, Location location, String chinese, String english,
      boolean reject, boolean kept, Throwable cause) {
    super(english, code, cause);
    this.chineseMessage = Objects.requireNonNull(chinese, "chinese");
    this.reject = reject;
    this.kept = kept;
    if (location != null) {
      setLocation(location);
    }
  }

  /** A content error: the ACK is AE unless the code is one of the reject codes (see {@link #acknowledgmentCode()}). */
  public static Hl7ConversionException of(ErrorCode code, Location location, String chinese, String english) {
    return new Hl7ConversionException(code, location, chinese, english, false, null);
  }

  /** A message that could not be read at all (bytes, charset, MSH): always answered with AR. */
  public static Hl7ConversionException unreadable(ErrorCode code, Location location, String chinese,
      String english, Throwable cause) {
    return new Hl7ConversionException(code, location, chinese, english, true, cause);
  }

  /**
   * 207: a failure inside Lianyao (a HAPI model access that should not fail, a bug). Answered with
   * AR: the message may be fine, so the sender should resend after Lianyao is fixed.
   */
  public static Hl7ConversionException internal(Exception cause) {
    return new Hl7ConversionException(ErrorCode.APPLICATION_INTERNAL_ERROR, null,
        "联药网关内部错误，消息未处理，请稍后重发或联系管理员", "internal error in the Lianyao gateway: " + cause, false, cause);
  }

  /**
   * The message was stored and converted, but writing its FHIR result failed (the store refused it:
   * profile, ownership, unknown institution). Answered with AE even for code 207: the message is
   * kept in the message store and can be replayed once the cause is fixed.
   */
  public static Hl7ConversionException processingFailed(ErrorCode code, String chinese, String english,
      Throwable cause) {
    return new Hl7ConversionException(code, null, chinese, english, false, true, cause);
  }

  /** 101: a required field or segment is missing. */
  public static Hl7ConversionException missing(Location location, String chineseWhat, String englishWhat) {
    return of(ErrorCode.REQUIRED_FIELD_MISSING, location,
        "缺少必填项 " + Locations.describe(location) + "（" + chineseWhat + "）",
        "required " + englishWhat + " is missing at " + Locations.describe(location));
  }

  /** 102: a value that is not of its data type (date, number, identifier format). */
  public static Hl7ConversionException dataType(Location location, String value, String chineseWhat,
      String englishWhat) {
    return of(ErrorCode.DATA_TYPE_ERROR, location,
        Locations.describe(location) + " 的值“" + value + "”不是有效的" + chineseWhat,
        "value '" + value + "' at " + Locations.describe(location) + " is not a valid " + englishWhat);
  }

  /** 103: a coded value outside the table Lianyao supports for that field. */
  public static Hl7ConversionException tableValue(Location location, String value, String chineseWhat,
      String englishWhat) {
    return of(ErrorCode.TABLE_VALUE_NOT_FOUND, location,
        Locations.describe(location) + " 的值“" + value + "”不是支持的" + chineseWhat,
        "value '" + value + "' at " + Locations.describe(location) + " is not a supported " + englishWhat);
  }

  /** Chinese message for the sending system's users (ERR-8, MSA-3). */
  public String chineseMessage() {
    return chineseMessage;
  }

  /** English diagnostic without the location suffix HAPI appends (ERR-7). */
  public String englishMessage() {
    return getMessageWithoutLocation();
  }

  /** HL7 table 0357 code, e.g. 101. */
  public int errorCode() {
    return getErrorCode();
  }

  /** True when the message as a whole was unreadable (and is answered with AR). */
  public boolean isReject() {
    return reject;
  }

  /**
   * AR when the message is unreadable or its type, event, processing id or version is not
   * acceptable, or Lianyao failed internally (HL7 original mode: "rejected for reasons unrelated to
   * content"); AE for content errors, which the sender must correct and resend.
   */
  public AcknowledgmentCode acknowledgmentCode() {
    if (reject) {
      return AcknowledgmentCode.AR;
    }
    if (kept) {
      return AcknowledgmentCode.AE;
    }
    return switch (getError()) {
      case UNSUPPORTED_MESSAGE_TYPE, UNSUPPORTED_EVENT_CODE, UNSUPPORTED_PROCESSING_ID,
          UNSUPPORTED_VERSION_ID, APPLICATION_INTERNAL_ERROR -> AcknowledgmentCode.AR;
      default -> AcknowledgmentCode.AE;
    };
  }
}
