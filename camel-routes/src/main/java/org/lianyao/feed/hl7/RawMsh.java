package org.lianyao.feed.hl7;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MSH segment read from raw bytes, before the message's charset is known: to find MSH-18, and
 * to answer a message that HAPI cannot parse with an AR that still carries MSA-2 and the swapped
 * sender/receiver.
 *
 * <p>Fields are split on the field-separator byte and then decoded. That is exact for UTF-8 (no
 * multi-byte sequence contains an ASCII byte), but a GBK double-byte character may have {@code |}
 * (0x7C) as its second byte; {@link #msh18Candidates} therefore also reads MSH-18 from the segment
 * decoded with the channel's charset, and the caller takes whichever names a known charset.
 */
final class RawMsh {

  /** How far into a damaged message an AR still looks for "MSH". */
  private static final int SALVAGE_WINDOW = 1024;

  private final byte[] raw;
  private final int segmentStart;
  private final int segmentEnd;
  /** Byte ranges of fields, index = HL7 field number (index 1 is the field separator itself). */
  private final List<int[]> fields;

  private RawMsh(byte[] raw, int segmentStart, int segmentEnd, List<int[]> fields) {
    this.raw = raw;
    this.segmentStart = segmentStart;
    this.segmentEnd = segmentEnd;
    this.fields = fields;
  }

  /** First index after MLLP start block, UTF-8 BOM and whitespace. */
  static int contentStart(byte[] raw) {
    int i = 0;
    if (raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    while (i < raw.length && (raw[i] == 0x0B || raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r' || raw[i] == '\n')) {
      i++;
      if (i + 2 < raw.length && (raw[i] & 0xFF) == 0xEF && (raw[i + 1] & 0xFF) == 0xBB && (raw[i + 2] & 0xFF) == 0xBF) {
        i += 3;
      }
    }
    return i;
  }

  /** Index after the last content byte: drops MLLP end block, trailing separators and NULs. */
  static int contentEnd(byte[] raw, int start) {
    int end = raw.length;
    while (end > start && (raw[end - 1] == 0x1C || raw[end - 1] == '\r' || raw[end - 1] == '\n'
        || raw[end - 1] == ' ' || raw[end - 1] == '\t' || raw[end - 1] == 0)) {
      end--;
    }
    return end;
  }

  /** The MSH at the start of the content, or null when the content does not begin with "MSH" + separator. */
  static RawMsh atStart(byte[] raw) {
    int start = contentStart(raw);
    return startsWithMsh(raw, start) ? read(raw, start) : null;
  }

  /** An MSH anywhere near the start (for salvaging an AR from damaged input), or null. */
  static RawMsh salvage(byte[] raw) {
    int limit = Math.min(raw.length - 4, SALVAGE_WINDOW);
    for (int i = 0; i <= limit; i++) {
      if (startsWithMsh(raw, i)) {
        return read(raw, i);
      }
    }
    return null;
  }

  private static boolean startsWithMsh(byte[] raw, int i) {
    return i + 4 <= raw.length && raw[i] == 'M' && raw[i + 1] == 'S' && raw[i + 2] == 'H'
        && raw[i + 3] > 0x20 && raw[i + 3] < 0x7F && !Character.isLetterOrDigit(raw[i + 3]);
  }

  private static RawMsh read(byte[] raw, int start) {
    int end = start;
    while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
      end++;
    }
    byte separator = raw[start + 3];
    List<int[]> fields = new ArrayList<>();
    fields.add(new int[] {start, start + 3}); // index 0: segment name
    fields.add(new int[] {start + 3, start + 4}); // MSH-1: the separator itself
    int fieldStart = start + 4;
    for (int i = fieldStart; i <= end; i++) {
      if (i == end || raw[i] == separator) {
        fields.add(new int[] {fieldStart, i});
        fieldStart = i + 1;
      }
    }
    return new RawMsh(raw, start, end, fields);
  }

  char fieldSeparator() {
    return (char) raw[segmentStart + 3];
  }

  /** MSH-2 when it is a plausible set of 4 or 5 encoding characters, otherwise null. */
  String encodingCharacters() {
    String value = field(2, StandardCharsets.US_ASCII);
    return value != null && (value.length() == 4 || value.length() == 5) ? value : null;
  }

  /** Field {@code number} decoded with {@code charset} (malformed bytes replaced), or null if absent/empty. */
  String field(int number, Charset charset) {
    if (number >= fields.size()) {
      return null;
    }
    int[] range = fields.get(number);
    if (range[1] <= range[0]) {
      return null;
    }
    String value = new String(raw, range[0], range[1] - range[0], charset);
    return value.isBlank() ? null : value;
  }

  /** First component of the first repetition of a field (e.g. MSH-9.1, MSH-18 default charset). */
  String component(int number, int component, Charset charset) {
    String value = field(number, charset);
    if (value == null) {
      return null;
    }
    String encoding = encodingCharacters();
    char componentSeparator = encoding == null ? '^' : encoding.charAt(0);
    char repetitionSeparator = encoding == null ? '~' : encoding.charAt(1);
    int repetitionEnd = value.indexOf(repetitionSeparator);
    if (repetitionEnd >= 0) {
      value = value.substring(0, repetitionEnd);
    }
    String[] components = value.split(java.util.regex.Pattern.quote(String.valueOf(componentSeparator)), -1);
    if (component > components.length) {
      return null;
    }
    String result = components[component - 1].strip();
    return result.isEmpty() ? null : result;
  }

  /**
   * MSH-18 read two ways: from byte-split fields (exact for UTF-8 and ASCII) and from the segment
   * decoded with the channel's charset (exact for GB18030 even when a character's second byte is
   * the field separator). Either may be null.
   */
  String[] msh18Candidates(Charset channelCharset) {
    String bytewise = component(18, 1, StandardCharsets.US_ASCII);
    String decoded = null;
    try {
      CharBuffer chars = channelCharset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(raw, segmentStart, segmentEnd - segmentStart));
      String[] parts = chars.toString().split(java.util.regex.Pattern.quote(String.valueOf(fieldSeparator())), -1);
      // parts[0] = "MSH", parts[1] = MSH-2, so MSH-n is parts[n - 1].
      if (parts.length > 17) {
        String value = parts[17];
        int cut = indexOfAny(value, '~', '^');
        decoded = (cut >= 0 ? value.substring(0, cut) : value).strip();
        decoded = decoded.isEmpty() ? null : decoded;
      }
    } catch (CharacterCodingException e) {
      // REPLACE never throws; nothing to add.
    }
    return new String[] {bytewise, decoded};
  }

  private static int indexOfAny(String value, char a, char b) {
    int i = value.indexOf(a);
    int j = value.indexOf(b);
    return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
  }
}
