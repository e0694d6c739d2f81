package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.parser.UnexpectedSegmentBehaviourEnum;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Parses raw HL7 v2 (ER7) bytes from one channel into HAPI's v2.5.1 model.
 *
 * <p>Charset: MSH-18 when it names a charset Lianyao recognises ({@link Hl7Charsets}), otherwise the
 * channel's charset (default GB18030). Decoding is strict, never lossy: bytes that are not valid in
 * the chosen charset are tried once with the other Chinese-capable charset (UTF-8 ↔ GB18030) with a
 * warning, and rejected (AR) if that fails too. ISO-8859-1 is never used. With
 * {@code detectUtf8} (default on) a GB18030 channel whose message declares nothing but is valid
 * UTF-8 with non-ASCII content is read as UTF-8 and warned about, since GBK text is practically
 * never valid UTF-8 while UTF-8 read as GB18030 "succeeds" as mojibake.
 *
 * <p>Model: one {@link DefaultHapiContext}, configured once, with a canonical v2.5.1 model class
 * factory so that RDE^O11, RDE^O25 and RDS^O13 from 2.3–2.5.1 senders land in the same classes, and
 * with validation off (Chinese HIS messages are often non-conformant; converters check what they
 * need). RDE^O01/RDS^O01, the v2.3 names of these events, are read as RDE_O11/RDS_O13.
 *
 * <p>Thread safety: instances are immutable apart from a pool of {@link PipeParser}s. HAPI's
 * PipeParser caches structure definitions in an unsynchronised HashMap, so each parser is used by
 * one thread at a time; the pool grows to the number of concurrent callers and costs one queue
 * poll/offer per message. Create one instance per channel (the context is expensive to build).
 */
public final class Hl7Parsing {

  /** Default node prefix for MSH-10 of Lianyao's own messages. */
  public static final String DEFAULT_CONTROL_ID_NODE = "LY";

  private final Charset channelCharset;
  private final boolean detectUtf8;
  private final HapiContext context;
  private final Queue<PipeParser> parsers = new ConcurrentLinkedQueue<>();

  /** A GB18030 channel with UTF-8 detection. */
  public Hl7Parsing() {
    this(Hl7Charsets.GB18030, true, DEFAULT_CONTROL_ID_NODE);
  }

  public Hl7Parsing(Charset channelCharset) {
    this(channelCharset, true, DEFAULT_CONTROL_ID_NODE);
  }

  /**
   * @param channelCharset charset of messages that declare none (GB18030 or UTF-8 in practice)
   * @param detectUtf8 read undeclared, valid UTF-8 messages on a GB18030 channel as UTF-8
   * @param controlIdNode 0–4 letters/digits identifying this gateway node in MSH-10 of its ACKs
   */
  public Hl7Parsing(Charset channelCharset, boolean detectUtf8, String controlIdNode) {
    this.channelCharset = Objects.requireNonNull(channelCharset, "channelCharset");
    if (channelCharset.equals(StandardCharsets.ISO_8859_1) || channelCharset.equals(StandardCharsets.US_ASCII)) {
      throw new IllegalArgumentException("a channel charset must be able to carry Chinese: " + channelCharset);
    }
    this.detectUtf8 = detectUtf8;
    this.context = createContext(controlIdNode);
  }

  private static HapiContext createContext(String controlIdNode) {
    DefaultHapiContext context = new DefaultHapiContext();
    context.setModelClassFactory(new LegacyAwareModelClassFactory());
    context.setValidationContext(ValidationContextFactory.noValidation());
    ParserConfiguration configuration = context.getParserConfiguration();
    configuration.setValidating(false);
    configuration.setAllowUnknownVersions(true);
    configuration.setIdGenerator(new ControlIdGenerator(controlIdNode));
    // Z-segments (ZTC) and misplaced segments stay where they were sent, inside their group.
    configuration.setUnexpectedSegmentBehaviour(UnexpectedSegmentBehaviourEnum.ADD_INLINE);
    return context;
  }

  public Charset channelCharset() {
    return channelCharset;
  }

  /** The shared HAPI context (model factory, parser configuration, control-ID generator). */
  public HapiContext context() {
    return context;
  }

  /**
   * Parses one message as received from the wire (MLLP framing, BOM and trailing separators are
   * tolerated; segments may end in CR, LF or CRLF).
   *
   * @throws Hl7ConversionException (AR) if the bytes cannot be decoded or the message cannot be parsed
   */
  public ParsedMessage parse(byte[] raw) throws Hl7ConversionException {
    if (raw == null || raw.length == 0) {
      throw Hl7ConversionException.unreadable(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment("MSH", 1),
          "消息为空", "message is empty", null);
    }
    RawMsh msh = RawMsh.atStart(raw);
    if (msh == null) {
      throw Hl7ConversionException.unreadable(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment("MSH", 1),
          "消息不是以 MSH 段开头的 HL7 v2 消息", "message does not start with an MSH segment", null);
    }
    List<ConversionWarning> warnings = new ArrayList<>(0);
    String declared = declaredCharset(msh);
    int start = RawMsh.contentStart(raw);
    int end = RawMsh.contentEnd(raw, start);
    Decoded decoded = decode(raw, start, end, declared, warnings);
    return parseText(decoded.text(), decoded.charset(), declared, warnings);
  }

  /**
   * Parses a message that was already decoded (e.g. by a component that owns the charset); the
   * ACK will be encoded with the charset MSH-18 names, or else the channel's charset.
   */
  public ParsedMessage parse(String text) throws Hl7ConversionException {
    if (text == null || text.isBlank()) {
      throw Hl7ConversionException.unreadable(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment("MSH", 1),
          "消息为空", "message is empty", null);
    }
    String trimmed = text.strip().replace("\u000B", "").replace("\u001C", "");
    if (!trimmed.isEmpty() && trimmed.charAt(0) == '\uFEFF') {
      trimmed = trimmed.substring(1);
    }
    if (!trimmed.startsWith("MSH") || trimmed.length() < 8) {
      throw Hl7ConversionException.unreadable(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment("MSH", 1),
          "消息不是以 MSH 段开头的 HL7 v2 消息", "message does not start with an MSH segment", null);
    }
    RawMsh msh = RawMsh.atStart(trimmed.getBytes(StandardCharsets.UTF_8));
    String declared = msh == null ? null : msh.component(18, 1, StandardCharsets.UTF_8);
    Charset charset = Hl7Charsets.forMsh18(declared).orElse(channelCharset);
    return parseText(trimmed, charset, declared, new ArrayList<>(0));
  }

  /** Work done with a borrowed parser. */
  @FunctionalInterface
  interface ParserWork<T> {
    T apply(PipeParser parser) throws HL7Exception;
  }

  /** Runs {@code work} with a parser that no other thread uses meanwhile. */
  <T> T withParser(ParserWork<T> work) throws HL7Exception {
    PipeParser parser = parsers.poll();
    if (parser == null) {
      parser = new PipeParser(context);
    }
    try {
      return work.apply(parser);
    } finally {
      parsers.offer(parser);
    }
  }

  // ---- charset ------------------------------------------------------------------------

  private String declaredCharset(RawMsh msh) {
    String[] candidates = msh.msh18Candidates(channelCharset);
    for (String candidate : candidates) {
      if (Hl7Charsets.kind(candidate) == Hl7Charsets.Kind.RECOGNISED) {
        return candidate;
      }
    }
    return candidates[0] != null ? candidates[0] : candidates[1];
  }

  private record Decoded(String text, Charset charset) {}

  private Decoded decode(byte[] raw, int start, int end, String declared, List<ConversionWarning> warnings)
      throws Hl7ConversionException {
    Hl7Charsets.Kind kind = Hl7Charsets.kind(declared);
    Charset expected = kind == Hl7Charsets.Kind.RECOGNISED ? Hl7Charsets.forMsh18(declared).orElseThrow() : channelCharset;
    if (kind == Hl7Charsets.Kind.UNKNOWN) {
      warnings.add(new ConversionWarning(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.segment("MSH", 1).withField(18),
          "MSH-18 字符集“" + declared + "”无法识别，已按通道字符集 " + channelCharset.name() + " 解码",
          "MSH-18 character set '" + declared + "' is not recognised; decoded with the channel charset "
              + channelCharset.name()));
    }
    if (!hasNonAscii(raw, start, end)) {
      return new Decoded(new String(raw, start, end - start, StandardCharsets.US_ASCII), expected);
    }
    Charset other = Hl7Charsets.isGbFamily(expected) ? StandardCharsets.UTF_8 : Hl7Charsets.GB18030;
    if (kind != Hl7Charsets.Kind.RECOGNISED && detectUtf8 && Hl7Charsets.isGbFamily(expected)) {
      String utf8 = strictDecode(raw, start, end, StandardCharsets.UTF_8);
      if (utf8 != null) {
        warnings.add(charsetWarning(declared, StandardCharsets.UTF_8, expected));
        return new Decoded(utf8, StandardCharsets.UTF_8);
      }
    }
    String text = strictDecode(raw, start, end, expected);
    if (text != null) {
      return new Decoded(text, expected);
    }
    text = strictDecode(raw, start, end, other);
    if (text != null) {
      warnings.add(charsetWarning(declared, other, expected));
      return new Decoded(text, other);
    }
    throw Hl7ConversionException.unreadable(ErrorCode.DATA_TYPE_ERROR, Locations.segment("MSH", 1).withField(18),
        "消息字节既不是有效的 " + expected.name() + " 编码，也不是有效的 " + other.name() + " 编码，请检查 MSH-18 与实际编码",
        "message bytes are valid neither in " + expected.name() + " nor in " + other.name()
            + "; check MSH-18 against the actual encoding", null);
  }

  private static ConversionWarning charsetWarning(String declared, Charset used, Charset expected) {
    String said = declared == null ? "未声明字符集" : "声明字符集为“" + declared + "”";
    String saidEn = declared == null ? "declares no character set" : "declares '" + declared + "'";
    return new ConversionWarning(ErrorCode.DATA_TYPE_ERROR, Locations.segment("MSH", 1).withField(18),
        "MSH-18 " + said + "，但消息字节是 " + used.name() + " 编码（不是 " + expected.name() + "），已按 "
            + used.name() + " 解码；请发送方在 MSH-18 中正确声明",
        "MSH-18 " + saidEn + " but the bytes are " + used.name() + ", not " + expected.name()
            + "; decoded as " + used.name());
  }

  private static boolean hasNonAscii(byte[] raw, int start, int end) {
    for (int i = start; i < end; i++) {
      if (raw[i] < 0) {
        return true;
      }
    }
    return false;
  }

  private static String strictDecode(byte[] raw, int start, int end, Charset charset) {
    try {
      return charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, start, end - start))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  // ---- HAPI ---------------------------------------------------------------------------

  private ParsedMessage parseText(String text, Charset charset, String declared, List<ConversionWarning> warnings)
      throws Hl7ConversionException {
    String normalised = normaliseSegmentSeparators(text);
    try {
      Message message = withParser(parser -> parser.parse(normalised));
      return new ParsedMessage(message, charset, declared, warnings);
    } catch (HL7Exception | RuntimeException e) {
      // HAPI also throws unchecked exceptions on some malformed input (e.g. a truncated MSH).
      HL7Exception hapi = e instanceof HL7Exception h ? h : new HL7Exception(e.getMessage(), e);
      Location location = hapi.getLocation() != null && !hapi.getLocation().isUnknown() ? hapi.getLocation() : null;
      // HAPI's default code is 207; for input it could not parse, 100 describes the problem better.
      ErrorCode code = hapi.getError() == ErrorCode.APPLICATION_INTERNAL_ERROR ? ErrorCode.SEGMENT_SEQUENCE_ERROR : hapi.getError();
      throw Hl7ConversionException.unreadable(code, location,
          "HL7 消息结构无法解析：" + hapi.getMessageWithoutLocation(),
          "HL7 message cannot be parsed: " + hapi.getMessageWithoutLocation(), e);
    }
  }

  /** HAPI splits segments on CR only; many HIS end segments with LF or CRLF. */
  static String normaliseSegmentSeparators(String text) {
    if (text.indexOf('\n') < 0) {
      return text;
    }
    return text.replace("\r\n", "\r").replace('\n', '\r');
  }

  /**
   * Canonical v2.5.1 model plus two repairs of the structure lookup: the v2.3 event names O01 map to
   * their v2.4+ structures, and an explicit MSH-9.3 that v2.5.1 does not define as a class (e.g.
   * {@code RDE_O25}) is looked up in the event map instead of ending up as a GenericMessage.
   */
  static final class LegacyAwareModelClassFactory extends CanonicalModelClassFactory {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> LEGACY_STRUCTURES = Map.of(
        "RDE_O01", "RDE_O11",
        "RDS_O01", "RDS_O13");

    LegacyAwareModelClassFactory() {
      super("2.5.1");
    }

    @Override
    public Class<? extends Message> getMessageClass(String name, String version, boolean explicit) throws HL7Exception {
      String legacy = LEGACY_STRUCTURES.get(name);
      if (legacy != null) {
        return super.getMessageClass(legacy, version, true);
      }
      Class<? extends Message> found = super.getMessageClass(name, version, explicit);
      if (explicit && GenericMessage.class.isAssignableFrom(found)) {
        return super.getMessageClass(name, version, false);
      }
      return found;
    }
  }
}
