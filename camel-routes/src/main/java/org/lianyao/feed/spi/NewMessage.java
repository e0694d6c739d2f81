package org.lianyao.feed.spi;

import java.util.Objects;

/**
 * A message about to be stored, exactly as it came in (or goes out).
 *
 * @param direction IN or OUT
 * @param channel configured channel id (usually the member's NHSA institution code), or for an
 *     unregistered sender the sending facility as sent
 * @param protocol {@code HL7V2} or {@code SQL}
 * @param messageType e.g. {@code RDE^O11}, or {@code his_prescription} for an intermediate-table row
 * @param controlId MSH-10, or the row key and version for intermediate tables; null when unreadable
 * @param charset name of the charset {@code raw} is encoded in
 * @param raw the bytes, unchanged
 * @param remoteAddress where it came from (MLLP peer) or goes to, may be null
 */
public record NewMessage(MessageDirection direction, String channel, String protocol, String messageType,
    String controlId, String charset, byte[] raw, String remoteAddress) {

  public static final String HL7V2 = "HL7V2";
  public static final String SQL = "SQL";

  public NewMessage {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(charset, "charset");
    Objects.requireNonNull(raw, "raw");
  }
}
