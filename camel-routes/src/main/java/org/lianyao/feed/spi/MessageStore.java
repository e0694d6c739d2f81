package org.lianyao.feed.spi;

import java.util.List;
import java.util.Optional;

/**
 * The durable message store. Every method takes part in the caller's (Spring) transaction when
 * there is one and runs in its own otherwise, so callers decide what commits together: the HL7
 * feed stores a message in its own transaction before doing anything else, then writes the FHIR
 * result and {@link #markProcessed} in one transaction holding the message's row lock ({@link #lock}).
 */
public interface MessageStore {

  /**
   * The outcome of {@link #register}.
   *
   * @param message the stored message: the new one, or the one stored earlier under the same
   *     (direction, channel, control id)
   * @param duplicate true when the message was stored before (a resend); nothing was inserted
   */
  record Registration(StoredMessage message, boolean duplicate) {}

  /**
   * Stores a message with status {@link MessageStatus#RECEIVED} (or, for outbound messages,
   * {@link MessageStatus#PENDING}). A message whose control id was already stored for the same
   * direction and channel is not stored again: the earlier one is returned.
   */
  Registration register(NewMessage message);

  /**
   * Stores a message with a final status right away (an unreadable message as FAILED, an
   * intermediate-table row together with its FHIR result).
   */
  StoredMessage insert(NewMessage message, MessageStatus status, String ackCode, String errorCode, String error,
      List<String> resultIds, String warnings);

  Optional<StoredMessage> find(long id);

  /**
   * Reads a message and locks its row until the current transaction ends, so that a resend, a
   * replay and the recovery sweep never process one message at the same time. Must be called in a
   * transaction.
   */
  Optional<StoredMessage> lock(long id);

  /** A resend of a failed message: stores the new bytes and sets it back to RECEIVED for another attempt. */
  void retry(long id, byte[] raw, String charset, String messageType);

  void markProcessed(long id, MessageStatus status, List<String> resultIds, String warnings);

  void markFailed(long id, String ackCode, String errorCode, String error);

  // ---- outbound -------------------------------------------------------------------------------

  /** Channels with outbound messages waiting. */
  List<String> outboundChannelsWithPending();

  /** The oldest pending outbound message of a channel (its order must be kept), if any. */
  Optional<StoredMessage> oldestPending(String channel);

  /** An outbound message the receiver accepted. */
  void markSent(long id, String ackCode);

  /** A failed delivery attempt: stays PENDING, not retried before {@code delayMillis}. */
  void deferDelivery(long id, String error, long delayMillis);
}
