package org.lianyao.feed.spi;

import java.nio.charset.Charset;
import java.time.Instant;
import java.util.List;

/**
 * A message as kept in the message store.
 *
 * @param id store id
 * @param ackCode MSA-1 Lianyao answered (inbound) or received (outbound), may be null
 * @param errorCode HL7 table 0357 code of the failure, may be null
 * @param error why it failed (Chinese message, then the English diagnostic), may be null
 * @param resultIds FHIR resources the message produced ({@code MedicationRequest/123})
 * @param warnings what was accepted but could not be mapped fully, one per line, may be null
 * @param attempts processing (inbound) or delivery (outbound) attempts so far
 * @param nextAttemptAt outbound: not to be sent again before this time
 */
public record StoredMessage(long id, MessageDirection direction, String channel, String protocol,
    String messageType, String controlId, String charset, byte[] raw, MessageStatus status, String ackCode,
    String errorCode, String error, List<String> resultIds, String warnings, int attempts,
    String remoteAddress, Instant receivedAt, Instant processedAt, Instant updatedAt, Instant nextAttemptAt) {

  public StoredMessage {
    resultIds = resultIds == null ? List.of() : List.copyOf(resultIds);
  }

  /** The raw bytes decoded with the charset they were stored with (for display). */
  public String text() {
    return new String(raw, Charset.forName(charset));
  }
}
