package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.lianyao.feed.spi.FeedWriteException;
import org.lianyao.feed.spi.FhirTransactionWriter;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.MessageStatus;
import org.lianyao.feed.spi.MessageStore;
import org.lianyao.feed.spi.NewMessage;
import org.lianyao.feed.spi.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * What happens to one inbound HL7 v2 message, from raw bytes to the original-mode ACK. The order is
 * what makes "nothing accepted is lost, nothing done twice" hold:
 *
 * <ol>
 *   <li>the bytes are parsed with the charset of the sender's channel (MSH-4); unreadable input is
 *       stored as FAILED and answered AR;</li>
 *   <li>the raw bytes are stored (RECEIVED) in their own committed transaction; a control id
 *       (MSH-10) already stored for the same channel is a resend: if it was processed, it is only
 *       acknowledged again; if it failed, it is tried again; if it is still RECEIVED (in flight on
 *       another connection, or left by a crash) it is processed under the row lock;</li>
 *   <li>in one transaction holding the message's row lock: convert, write the FHIR transaction
 *       (validation and the sender's rights apply), record PROCESSED with the resource ids;</li>
 *   <li>only then AA. A failure records FAILED with the error (the message stays for replay) and is
 *       answered AE with an ERR segment.</li>
 * </ol>
 *
 * If the message cannot even be stored (database down) the answer is AR 207 and the sender resends
 * later. This class never throws to the transport: every input gets an ACK.
 */
public final class Hl7MessageHandler {

  private static final Logger log = LoggerFactory.getLogger(Hl7MessageHandler.class);
  /** Longest error text kept in the store's error column. */
  private static final int MAX_ERROR = 3900;
  /** Attempts when concurrent messages collide on the same conditional create. */
  private static final int MAX_CONFLICT_ATTEMPTS = 4;

  private final Hl7ChannelResolver channels;
  private final MessageStore store;
  private final FhirTransactionWriter writer;
  private final TransactionOperations transactions;

  /**
   * @param transactions transactions on the database of {@code store} and {@code writer} (the
   *     gateway's), so that the FHIR result and the PROCESSED status commit together
   */
  public Hl7MessageHandler(Hl7ChannelResolver channels, MessageStore store, FhirTransactionWriter writer,
      TransactionOperations transactions) {
    this.channels = Objects.requireNonNull(channels, "channels");
    this.store = Objects.requireNonNull(store, "store");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
  }

  /** The result of processing or replaying a stored message. */
  public record Outcome(long messageId, MessageStatus status, String ackCode, String errorCode, String error,
      List<String> resultIds, List<ConversionWarning> warnings) {}

  /**
   * Handles one message as received over MLLP.
   *
   * @param raw the payload between the MLLP frame characters
   * @param remoteAddress the peer, for the store (may be null)
   * @return the ACK bytes, in the message's charset
   */
  public byte[] handle(byte[] raw, String remoteAddress) {
    Hl7Channel channel = null;
    try {
      channel = channelOf(raw);
      ParsedMessage parsed;
      try {
        parsed = channel.parsing().parse(raw);
      } catch (Hl7ConversionException e) {
        return unreadable(raw, remoteAddress, channel, e);
      }
      return process(raw, remoteAddress, channel, parsed);
    } catch (RuntimeException | Hl7ConversionException e) {
      log.error("HL7 inbound on channel {}: unexpected failure", channel == null ? "?" : channel.id(), e);
      return lastResortAck(raw, channel, e);
    }
  }

  private byte[] process(byte[] raw, String remoteAddress, Hl7Channel channel, ParsedMessage parsed)
      throws Hl7ConversionException {
    String controlId = parsed.controlId();
    String messageType = messageType(parsed);
    MessageStore.Registration registration;
    try {
      registration = store.register(new NewMessage(MessageDirection.IN, channel.id(), NewMessage.HL7V2, messageType,
          controlId, parsed.charset().name(), raw, remoteAddress));
    } catch (RuntimeException e) {
      // Not stored, so not accepted: AR 207 asks the sender to send it again later.
      log.error("HL7 inbound on channel {}: message {} could not be stored", channel.id(), controlId, e);
      return channel.acks().error(parsed, Hl7ConversionException.internal(e)).bytes();
    }
    StoredMessage stored = registration.message();
    if (registration.duplicate()) {
      if (stored.status().isDone()) {
        log.info("HL7 inbound on channel {}: control id {} was processed before (message {}); acknowledged again",
            channel.id(), controlId, stored.id());
        return channel.acks().accept(parsed).bytes();
      }
      if (stored.status() == MessageStatus.FAILED) {
        log.info("HL7 inbound on channel {}: control id {} failed before (message {}); trying again",
            channel.id(), controlId, stored.id());
        store.retry(stored.id(), raw, parsed.charset().name(), messageType);
      }
    }
    Result result = processStored(stored.id(), parsed, raw, MessageStatus.PROCESSED);
    return ack(channel, parsed, result).bytes();
  }

  /**
   * Re-runs a stored inbound message from its raw bytes with the current channel configuration and
   * mappings. Only FAILED (or left RECEIVED) messages are replayed: re-applying one that was
   * processed could undo later changes to the same prescription.
   */
  public Outcome replay(long messageId) {
    StoredMessage message = store.find(messageId).orElseThrow(() ->
        new IllegalArgumentException("no message " + messageId));
    if (message.direction() != MessageDirection.IN || !NewMessage.HL7V2.equals(message.protocol())) {
      throw new IllegalArgumentException("message " + messageId + " is not an inbound HL7 v2 message");
    }
    return processStored(messageId, null, null, MessageStatus.REPLAYED).outcome();
  }

  /** An outcome and, when it failed, the exception (code, location, texts) for the ERR segment. */
  private record Result(Outcome outcome, Hl7ConversionException failure) {}

  /**
   * Converts and writes a stored message under its row lock. {@code hint} is the message already
   * parsed from {@code hintRaw}; it is used only if the stored bytes are the same.
   */
  private Result processStored(long id, ParsedMessage hint, byte[] hintRaw, MessageStatus success) {
    for (int attempt = 1; ; attempt++) {
      try {
        return processStoredOnce(id, hint, hintRaw, success);
      } catch (FeedWriteException e) {
        if (e.reason() != FeedWriteException.Reason.CONFLICT || attempt >= MAX_CONFLICT_ATTEMPTS) {
          return failed(id, writeFailure(e));
        }
        // Another message wrote the same patient/practitioner at the same moment; nothing of this
        // attempt was committed, and the conditional writes will find the other's result now.
        log.debug("HL7 message {}: write conflict, attempt {}", id, attempt);
        sleepQuietly(20L * attempt);
      }
    }
  }

  private Result processStoredOnce(long id, ParsedMessage hint, byte[] hintRaw, MessageStatus success) {
    try {
      Outcome done = transactions.execute(tx -> {
        StoredMessage locked = store.lock(id).orElseThrow(() -> new IllegalStateException("message " + id + " vanished"));
        if (locked.status().isDone()) {
          // Processed meanwhile by the first copy of a resend, or replayed by someone else.
          return new Outcome(id, locked.status(), "AA", null, null, locked.resultIds(), List.of());
        }
        try {
          // The channel as configured now (a replay after a configuration change uses the new one).
          Hl7Channel channel = channelOf(locked.raw());
          ParsedMessage parsed = hint != null && Arrays.equals(hintRaw, locked.raw())
              ? hint : channel.parsing().parse(locked.raw());
          if (channel.institution() == null) {
            throw unregistered(parsed);
          }
          Hl7Channel.Converted converted = channel.convert(parsed);
          // The channel acts as its institution, whatever the message itself claims.
          List<String> ids = writer.write(converted.bundle(), channel.institution());
          store.markProcessed(id, success, ids, warningsText(converted.warnings()));
          return new Outcome(id, success, "AA", null, null, ids, converted.warnings());
        } catch (Hl7ConversionException e) {
          throw new ConversionFailure(e);
        }
      });
      return new Result(done, null);
    } catch (ConversionFailure f) {
      return failed(id, f.exception);
    } catch (FeedWriteException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("HL7 message {}: processing failed", id, e);
      return failed(id, Hl7ConversionException.internal(e));
    }
  }

  /** 204 at MSH-4: the sender is neither a configured channel nor a registered alias. */
  private static Hl7ConversionException unregistered(ParsedMessage parsed) {
    String sent = V2.text(parsed.msh().getMsh4_SendingFacility().getHd1_NamespaceID());
    if (sent == null) {
      sent = V2.text(parsed.msh().getMsh4_SendingFacility().getHd2_UniversalID());
    }
    if (sent == null) {
      return Hl7ConversionException.missing(Locations.field(parsed.msh(), 4), "发送机构，应为医保定点医疗机构编码",
          "sending facility (NHSA institution code)");
    }
    return Hl7ConversionException.of(ErrorCode.UNKNOWN_KEY_IDENTIFIER, Locations.field(parsed.msh(), 4),
        "发送机构 MSH-4“" + sent + "”未配置 HL7 接入通道：既不是已接入的医保定点医疗机构编码，也不是已登记的机构别名",
        "sending facility MSH-4 '" + sent + "' has no HL7 channel: neither a configured NHSA institution code"
            + " nor a registered facility alias");
  }

  private static Hl7ConversionException writeFailure(FeedWriteException e) {
    ErrorCode code = e.reason() == FeedWriteException.Reason.NOT_OWNED
        ? ErrorCode.UNKNOWN_KEY_IDENTIFIER : ErrorCode.APPLICATION_INTERNAL_ERROR;
    return Hl7ConversionException.processingFailed(code, e.chineseMessage(), e.getMessage(), e);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Result failed(long id, Hl7ConversionException e) {
    String ackCode = e.acknowledgmentCode().name();
    String error = truncate(e.chineseMessage() + " | " + e.englishMessage());
    try {
      store.markFailed(id, ackCode, String.valueOf(e.errorCode()), error);
    } catch (RuntimeException storeDown) {
      // The message stays RECEIVED: a resend or a replay will process it.
      log.error("HL7 message {}: could not record the failure", id, storeDown);
    }
    log.info("HL7 message {}: {} {} {}", id, ackCode, e.errorCode(), e.englishMessage());
    return new Result(new Outcome(id, MessageStatus.FAILED, ackCode, String.valueOf(e.errorCode()), error, List.of(),
        List.of()), e);
  }

  private AckBuilder.Ack ack(Hl7Channel channel, ParsedMessage parsed, Result result) throws Hl7ConversionException {
    if (result.failure() == null) {
      return channel.acks().accept(parsed, result.outcome().warnings());
    }
    return channel.acks().error(parsed, result.failure());
  }

  private byte[] unreadable(byte[] raw, String remoteAddress, Hl7Channel channel, Hl7ConversionException e)
      throws Hl7ConversionException {
    AckBuilder.Ack ack = channel.acks().reject(raw, e);
    String error = truncate(e.chineseMessage() + " | " + e.englishMessage());
    NewMessage message = new NewMessage(MessageDirection.IN, channel.id(), NewMessage.HL7V2, salvagedType(raw),
        ack.controlId(), ack.charset().name(), raw, remoteAddress);
    try {
      store.insert(message, MessageStatus.FAILED, "AR", String.valueOf(e.errorCode()), error, List.of(), null);
    } catch (DuplicateKeyException duplicate) {
      // A garbled copy of a message whose control id is stored already: keep it without the id.
      store.insert(new NewMessage(message.direction(), message.channel(), message.protocol(), message.messageType(),
          null, message.charset(), raw, remoteAddress), MessageStatus.FAILED, "AR", String.valueOf(e.errorCode()),
          error, List.of(), null);
    } catch (RuntimeException storeDown) {
      log.error("HL7 inbound on channel {}: unreadable message could not be stored", channel.id(), storeDown);
    }
    log.info("HL7 inbound on channel {}: unreadable message rejected (AR {}): {}", channel.id(), e.errorCode(),
        e.englishMessage());
    return ack.bytes();
  }

  private byte[] lastResortAck(byte[] raw, Hl7Channel channel, Exception e) {
    try {
      Hl7Channel c = channel != null ? channel : channels.resolve(null, null);
      return c.acks().reject(raw, Hl7ConversionException.internal(e)).bytes();
    } catch (RuntimeException | Hl7ConversionException again) {
      log.error("HL7 inbound: not even an AR could be built", again);
      return new byte[0];
    }
  }

  private Hl7Channel channelOf(byte[] raw) {
    RawMsh msh = raw == null ? null : RawMsh.salvage(raw);
    if (msh == null) {
      return channels.resolve(null, null);
    }
    // MSH-4 is an NHSA code or an ASCII alias in practice; GB18030 reads ASCII and Chinese aliases alike.
    return channels.resolve(msh.component(4, 1, Hl7Charsets.GB18030), msh.component(4, 2, Hl7Charsets.GB18030));
  }

  static String messageType(ParsedMessage parsed) {
    String code = parsed.messageCode();
    String event = parsed.triggerEvent();
    if (code == null) {
      return null;
    }
    return event == null ? code : code + "^" + event;
  }

  private static String salvagedType(byte[] raw) {
    RawMsh msh = raw == null ? null : RawMsh.salvage(raw);
    if (msh == null) {
      return null;
    }
    String code = msh.component(9, 1, StandardCharsets.US_ASCII);
    String event = msh.component(9, 2, StandardCharsets.US_ASCII);
    String type = code == null ? null : event == null ? code : code + "^" + event;
    return type != null && type.length() <= 32 ? type : null;
  }

  static String warningsText(List<ConversionWarning> warnings) {
    if (warnings.isEmpty()) {
      return null;
    }
    return truncate(warnings.stream().map(w -> w.where() + " " + w.code().getCode() + " " + w.chinese())
        .collect(Collectors.joining("\n")));
  }

  private static String truncate(String text) {
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "…";
  }

  /** Carries a checked conversion exception out of the transaction callback (and rolls it back). */
  private static final class ConversionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Hl7ConversionException exception;

    ConversionFailure(Hl7ConversionException exception) {
      super(exception.getMessage(), exception, false, false);
      this.exception = exception;
    }
  }
}
