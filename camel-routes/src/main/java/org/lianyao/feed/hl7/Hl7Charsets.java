package org.lianyao.feed.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MSH-18 (character set) values → Java charsets, as Chinese HIS actually send them.
 *
 * <p>HL7 table 0211 knows only {@code GB 18030-2000} (and {@code ISO IR58} for GB 2312), but member
 * HIS write {@code GB18030}, {@code GBK}, {@code UTF-8}, {@code UNICODE UTF-8} and variants. All
 * GB-family names decode with GB18030, a superset of GBK and GB 2312, so a sender that declares GBK
 * but uses one GB18030-only character (common in names) still decodes. Latin declarations
 * ({@code ASCII}, {@code 8859/1}) are a wrong vendor default in Chinese HIS: they are ignored and the
 * channel's charset is used, because ISO-8859-1 would silently turn Chinese text into mojibake.
 */
public final class Hl7Charsets {

  /** The default of every channel: what Chinese HIS send when they declare nothing. */
  public static final Charset GB18030 = Charset.forName("GB18030");

  private static final Map<String, Charset> BY_NAME = new HashMap<>();
  /** Declarations that name a single-byte set; they never describe a Chinese message correctly. */
  private static final List<String> IGNORED = List.of("ASCII", "8859/1", "8859/2", "8859/15", "ISO-8859-1",
      "ISO8859-1", "LATIN1", "ISO IR6", "ISO IR100");

  static {
    for (String name : List.of("GB 18030-2000", "GB18030", "GB18030-2000", "GB 18030-2005", "GB18030-2005",
        "GB 18030-2022", "GB18030-2022", "GBK", "CP936", "MS936", "GB2312", "GB 2312", "GB_2312-80", "EUC-CN",
        "ISO IR58")) {
      BY_NAME.put(normalise(name), GB18030);
    }
    for (String name : List.of("UNICODE UTF-8", "UTF-8", "UTF8", "UNICODE")) {
      // Chinese vendors write UNICODE meaning UTF-8; HL7's UCS-2 "UNICODE" is withdrawn and unused here.
      BY_NAME.put(normalise(name), StandardCharsets.UTF_8);
    }
    BY_NAME.put(normalise("BIG-5"), Charset.forName("Big5"));
  }

  private Hl7Charsets() {}

  /** What an MSH-18 value means for decoding. */
  public enum Kind {
    /** MSH-18 empty: use the channel's charset. */
    ABSENT,
    /** A recognised Chinese-capable charset. */
    RECOGNISED,
    /** A Latin/ASCII declaration: ignored, the channel's charset is used. */
    IGNORED,
    /** Not a value Lianyao knows: the channel's charset is used and a warning raised. */
    UNKNOWN
  }

  /** Classifies an MSH-18 value (first repetition; HL7 makes it the default character set). */
  public static Kind kind(String msh18) {
    if (msh18 == null || msh18.isBlank()) {
      return Kind.ABSENT;
    }
    String normalised = normalise(msh18);
    if (BY_NAME.containsKey(normalised)) {
      return Kind.RECOGNISED;
    }
    for (String ignored : IGNORED) {
      if (normalise(ignored).equals(normalised)) {
        return Kind.IGNORED;
      }
    }
    return Kind.UNKNOWN;
  }

  /** The charset an MSH-18 value names, if it is a recognised Chinese-capable one. */
  public static Optional<Charset> forMsh18(String msh18) {
    return msh18 == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(normalise(msh18)));
  }

  /** Whether the charset is GB18030 or one of its subsets (decoded as GB18030). */
  public static boolean isGbFamily(Charset charset) {
    String name = charset.name().toUpperCase(Locale.ROOT);
    return name.equals("GB18030") || name.equals("GBK") || name.equals("GB2312");
  }

  /** Upper case without spaces, hyphens, underscores or dots: {@code gb 18030-2000} → {@code GB180302000}. */
  static String normalise(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != ' ' && c != '-' && c != '_' && c != '.') {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }
}
