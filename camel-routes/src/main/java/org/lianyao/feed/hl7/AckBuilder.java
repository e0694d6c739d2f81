package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.ELD;
import ca.uhn.hl7v2.model.v251.datatype.ERL;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.segment.ERR;
import ca.uhn.hl7v2.model.v251.segment.MSA;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import java.io.IOException;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Original-mode acknowledgements (ACK^{trigger}^ACK) for the HL7 v2 feed.
 *
 * <ul>
 *   <li>{@link #accept}: MSA-1 AA; optionally one ERR per conversion warning with severity W;</li>
 *   <li>{@link #error}: AE for content errors, AR for unsupported type/event/version and internal
 *       errors (see {@link Hl7ConversionException#acknowledgmentCode()}), with an ERR segment;</li>
 *   <li>{@link #reject}: AR for input HAPI could not parse, built from whatever of the MSH could be
 *       read (control ID, sender, trigger, version, charset) — or from nothing.</li>
 * </ul>
 *
 * <p>ERR: ERR-2 location (segment, sequence, field, repetition, component), ERR-3 table 0357 code
 * ({@code 101^Required field missing^HL70357}), ERR-4 severity, ERR-7 English diagnostic, ERR-8
 * Chinese message; for senders older than v2.5 also ERR-1 (segment^sequence^field^code), and MSA-3
 * carries the Chinese message because many HIS show only MSA-3. The ACK swaps sender and receiver
 * (HAPI's rule), echoes MSH-18, and is encoded in the inbound message's charset.
 */
public final class AckBuilder {

  private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
  private static final Pattern VERSION = Pattern.compile("2\\.[1-8](\\.\\d)?");
  /** MSA-3 is ST with 80 characters in v2.5. */
  private static final int MSA3_LENGTH = 80;

  private final Hl7Parsing parsing;
  private final ZoneId zone;

  public AckBuilder(Hl7Parsing parsing) {
    this(parsing, Hl7ConverterConfig.CHINA);
  }

  /**
   * @param parsing the channel's parsing (shared HAPI context, control-ID generator, channel charset)
   * @param zone time zone of MSH-7
   */
  public AckBuilder(Hl7Parsing parsing, ZoneId zone) {
    this.parsing = Objects.requireNonNull(parsing, "parsing");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * An encoded acknowledgement.
   *
   * @param code MSA-1
   * @param controlId MSA-2 (the inbound MSH-10), or null when it could not be read
   * @param text the ACK as text (segments separated by CR)
   * @param bytes {@code text} in {@code charset}, ready for MLLP
   * @param charset the inbound message's charset
   */
  public record Ack(AcknowledgmentCode code, String controlId, String text, byte[] bytes, Charset charset) {}

  /** AA. */
  public Ack accept(ParsedMessage inbound) throws Hl7ConversionException {
    return accept(inbound, List.of());
  }

  /** AA with one ERR per warning, severity W (v2.5+ senders only: older ERR has no severity). */
  public Ack accept(ParsedMessage inbound, List<ConversionWarning> warnings) throws Hl7ConversionException {
    try {
      ACK ack = generate(inbound, AcknowledgmentCode.AA);
      if (!isBefore25(inbound.version())) {
        int repetition = 0;
        for (ConversionWarning warning : warnings) {
          fillErr(ack.getERR(repetition++), warning.code(), warning.location(), "W", warning.chinese(),
              warning.english(), false);
        }
      }
      return encode(ack, AcknowledgmentCode.AA, inbound.controlId(), inbound.charset());
    } catch (HL7Exception | IOException e) {
      throw Hl7ConversionException.internal(e);
    }
  }

  /** AE or AR (per the error) for a message that was parsed but not accepted. */
  public Ack error(ParsedMessage inbound, Hl7ConversionException error) throws Hl7ConversionException {
    try {
      AcknowledgmentCode code = error.acknowledgmentCode();
      ACK ack = generate(inbound, code);
      fillError(ack, error, isBefore25(inbound.version()));
      return encode(ack, code, inbound.controlId(), inbound.charset());
    } catch (HL7Exception | IOException e) {
      throw Hl7ConversionException.internal(e);
    }
  }

  /**
   * AR for bytes that could not be parsed. Reads MSH fields from the raw bytes where it can (MSH-3
   * to -6, -9, -10, -11, -12, -18); a message without any recognisable MSH still gets an AR (with
   * an empty MSA-2), encoded in the channel's charset.
   */
  public Ack reject(byte[] raw, Hl7ConversionException error) throws Hl7ConversionException {
    try {
      RawMsh msh = raw == null ? null : RawMsh.salvage(raw);
      Charset charset = parsing.channelCharset();
      String declared = null;
      if (msh != null) {
        String[] candidates = msh.msh18Candidates(parsing.channelCharset());
        for (String candidate : candidates) {
          if (candidate != null && Hl7Charsets.forMsh18(candidate).isPresent()) {
            declared = candidate;
            charset = Hl7Charsets.forMsh18(candidate).get();
            break;
          }
        }
      }
      String version = msh == null ? null : msh.component(12, 1, charset);
      if (version != null && !VERSION.matcher(version).matches()) {
        version = null;
      }
      String trigger = msh == null ? null : msh.component(9, 2, charset);
      String controlId = msh == null ? null : msh.component(10, 1, charset);

      ACK ack = new ACK(parsing.context().getModelClassFactory());
      // Only the parser configuration (control-ID generator) is read through it; encoding uses the pool.
      ack.setParser(parsing.context().getPipeParser());
      ack.initQuickstart("ACK", trigger, msh == null || msh.component(11, 1, charset) == null ? "P"
          : msh.component(11, 1, charset));
      MSH out = ack.getMSH();
      if (msh != null) {
        String encoding = msh.encodingCharacters();
        if (encoding != null && distinct(msh.fieldSeparator() + encoding.substring(0, 4))) {
          // Answer in the sender's delimiters, as HAPI does for parsed messages.
          out.getMsh1_FieldSeparator().setValue(String.valueOf(msh.fieldSeparator()));
          out.getMsh2_EncodingCharacters().setValue(encoding.substring(0, 4));
        }
        out.getMsh3_SendingApplication().getHd1_NamespaceID().setValue(msh.component(5, 1, charset));
        out.getMsh4_SendingFacility().getHd1_NamespaceID().setValue(msh.component(6, 1, charset));
        out.getMsh5_ReceivingApplication().getHd1_NamespaceID().setValue(msh.component(3, 1, charset));
        out.getMsh6_ReceivingFacility().getHd1_NamespaceID().setValue(msh.component(4, 1, charset));
      }
      out.getMsh7_DateTimeOfMessage().getTs1_Time().setValue(now());
      out.getMsh9_MessageType().getMsg3_MessageStructure().setValue("ACK");
      if (version != null) {
        out.getMsh12_VersionID().getVid1_VersionID().setValue(version);
      }
      if (declared != null) {
        out.getMsh18_CharacterSet(0).setValue(declared);
      }
      MSA msa = ack.getMSA();
      msa.getMsa1_AcknowledgmentCode().setValue(AcknowledgmentCode.AR.name());
      msa.getMsa2_MessageControlID().setValue(controlId);
      fillError(ack, error, isBefore25(version));
      return encode(ack, AcknowledgmentCode.AR, controlId, charset);
    } catch (HL7Exception | IOException | RuntimeException e) {
      throw Hl7ConversionException.internal(e);
    }
  }

  /** HAPI's generateACK (swapped sender/receiver, MSA-2, MSH-9 ACK^trigger^ACK) plus MSH-7 and MSH-18. */
  private ACK generate(ParsedMessage inbound, AcknowledgmentCode code) throws HL7Exception, IOException {
    ACK ack = (ACK) inbound.message().generateACK(code, null);
    MSH out = ack.getMSH();
    out.getMsh7_DateTimeOfMessage().getTs1_Time().setValue(now());
    if (inbound.declaredCharset() != null) {
      out.getMsh18_CharacterSet(0).setValue(inbound.declaredCharset());
    }
    return ack;
  }

  private static void fillError(ACK ack, Hl7ConversionException error, boolean before25) throws HL7Exception {
    fillErr(ack.getERR(0), error.getError(), error.getLocation(), "E", error.chineseMessage(),
        error.englishMessage(), before25);
    String chinese = error.chineseMessage();
    ack.getMSA().getMsa3_TextMessage().setValue(chinese.length() > MSA3_LENGTH ? chinese.substring(0, MSA3_LENGTH) : chinese);
  }

  private static void fillErr(ERR err, ErrorCode code, Location location, String severity, String chinese,
      String english, boolean before25) throws HL7Exception {
    if (location != null && location.getSegmentName() != null) {
      ERL erl = err.getErr2_ErrorLocation(0);
      erl.getErl1_SegmentID().setValue(location.getSegmentName());
      erl.getErl2_SegmentSequence().setValue(String.valueOf(Math.max(1, location.getSegmentRepetition())));
      if (location.getField() > 0) {
        erl.getErl3_FieldPosition().setValue(String.valueOf(location.getField()));
        erl.getErl4_FieldRepetition().setValue(String.valueOf(Math.max(1, location.getFieldRepetition())));
        if (location.getComponent() > 0) {
          erl.getErl5_ComponentNumber().setValue(String.valueOf(location.getComponent()));
        }
      }
    }
    CWE hl7Code = err.getErr3_HL7ErrorCode();
    hl7Code.getCwe1_Identifier().setValue(String.valueOf(code.getCode()));
    hl7Code.getCwe2_Text().setValue(code.getMessage());
    hl7Code.getCwe3_NameOfCodingSystem().setValue(ErrorCode.codeTable());
    err.getErr4_Severity().setValue(severity);
    err.getErr7_DiagnosticInformation().setValue(english);
    err.getErr8_UserMessage().setValue(chinese);
    if (before25) {
      ELD eld = err.getErr1_ErrorCodeAndLocation(0);
      if (location != null && location.getSegmentName() != null) {
        eld.getEld1_SegmentID().setValue(location.getSegmentName());
        eld.getEld2_SegmentSequence().setValue(String.valueOf(Math.max(1, location.getSegmentRepetition())));
        if (location.getField() > 0) {
          eld.getEld3_FieldPosition().setValue(String.valueOf(location.getField()));
        }
      }
      CE eldCode = eld.getEld4_CodeIdentifyingError();
      eldCode.getCe1_Identifier().setValue(String.valueOf(code.getCode()));
      eldCode.getCe2_Text().setValue(code.getMessage());
      eldCode.getCe3_NameOfCodingSystem().setValue(ErrorCode.codeTable());
    }
  }

  private Ack encode(ACK ack, AcknowledgmentCode code, String controlId, Charset charset) throws HL7Exception {
    String text = parsing.withParser(parser -> parser.encode(ack));
    return new Ack(code, controlId, text, text.getBytes(charset), charset);
  }

  private static boolean distinct(String delimiters) {
    return delimiters.chars().distinct().count() == delimiters.length()
        && delimiters.chars().noneMatch(c -> Character.isLetterOrDigit(c) || Character.isWhitespace(c));
  }

  private String now() {
    return ZonedDateTime.now(zone).format(HL7_TIME);
  }

  /** ERR-1 (ELD) is what pre-2.5 receivers read; unknown versions are treated as 2.5+. */
  private static boolean isBefore25(String version) {
    if (version == null) {
      return false;
    }
    Version parsed = Version.versionOf(version);
    return parsed != null && Version.V25.isGreaterThan(parsed);
  }
}
