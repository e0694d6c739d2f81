package org.lianyao.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HL7 v2 test messages of camel-routes ({@code src/test/resources/hl7}, README there), copied
 * into the server's test resources, with edits to make each use unique (control id, order numbers).
 */
final class Hl7TestMessages {

  static final Charset GB18030 = Charset.forName("GB18030");

  private Hl7TestMessages() {}

  static String text(String encoding, String name) {
    Charset charset = "gb18030".equals(encoding) ? GB18030 : StandardCharsets.UTF_8;
    try (InputStream in = Hl7TestMessages.class.getClassLoader()
        .getResourceAsStream("hl7/" + encoding + "/" + name + ".hl7")) {
      if (in == null) {
        throw new IllegalStateException("missing test message " + encoding + "/" + name);
      }
      return new String(in.readAllBytes(), charset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text with each replacement applied (each {@code from} must occur). */
  static String edit(String text, Map<String, String> replacements) {
    String out = text;
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      if (!out.contains(r.getKey())) {
        throw new IllegalArgumentException("test message does not contain " + r.getKey());
      }
      out = out.replace(r.getKey(), r.getValue());
    }
    return out;
  }

  /**
   * rde-o11-v24 (张伟; 盐酸二甲双胍片 and 苯磺酸氨氯地平片) with its own control id and order numbers
   * {@code {prefix}01}, {@code {prefix}02} (prescription {@code {prefix}}).
   */
  static String uniqueRde(String encoding, String controlId, String prefix) {
    return edit(text(encoding, "rde-o11-v24"), Map.of(
        "RDE20261120093015001", controlId,
        "CF2026112000010001^", prefix + "01^",
        "CF2026112000010002^", prefix + "02^",
        "CF20261120000100^", prefix + "^"));
  }
}
