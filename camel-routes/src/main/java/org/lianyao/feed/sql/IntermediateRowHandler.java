package org.lianyao.feed.sql;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.camel.spi.IdempotentRepository;
import org.lianyao.feed.hl7.RdeConversionResult;
import org.lianyao.feed.spi.FeedWriteException;
import org.lianyao.feed.spi.FhirTransactionWriter;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.MessageStatus;
import org.lianyao.feed.spi.MessageStore;
import org.lianyao.feed.spi.NewMessage;
import org.lianyao.feed.spi.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Processes one intermediate-table prescription exactly once. In one transaction on the gateway
 * database: the row version's key enters Camel's JDBC idempotent repository, the FHIR transaction
 * is written, the rows are stored in the message store (PROCESSED, raw JSON) and the watermark
 * moves. Either all of it commits or none, so a crash at any point leads to the row being read
 * and processed again, and a committed row is never processed twice.
 *
 * <p>A row that fails is stored as FAILED (for replay), its key is recorded and the watermark moves
 * past it, in a transaction of its own: it does not block the rows behind it. A later change of the
 * row in the HIS (new {@code updated_at}) is a new version and is processed again.
 */
public final class IntermediateRowHandler {

  private static final Logger log = LoggerFactory.getLogger(IntermediateRowHandler.class);
  private static final int MAX_CONFLICT_ATTEMPTS = 4;
  /** messageType of stored intermediate-table prescriptions. */
  public static final String MESSAGE_TYPE = "his_prescription";

  private final String channel;
  private final String institution;
  private final String source;
  private final IntermediateRowConverter converter;
  private final MessageStore store;
  private final FhirTransactionWriter writer;
  private final WatermarkStore watermarks;
  private final IdempotentRepository processed;
  private final TransactionOperations transactions;

  /**
   * @param source where the rows come from (JDBC URL without credentials), stored as the remote address
   * @param processed Camel's JDBC idempotent repository of this channel, on the gateway database
   * @param transactions transactions of the gateway database, shared with {@code store},
   *     {@code writer}, {@code watermarks} and {@code processed}
   */
  public IntermediateRowHandler(String channel, String institution, String source, IntermediateRowConverter converter,
      MessageStore store, FhirTransactionWriter writer, WatermarkStore watermarks, IdempotentRepository processed,
      TransactionOperations transactions) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.institution = Objects.requireNonNull(institution, "institution");
    this.source = source;
    this.converter = Objects.requireNonNull(converter, "converter");
    this.store = Objects.requireNonNull(store, "store");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
    this.processed = Objects.requireNonNull(processed, "processed");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
  }

  public String channel() {
    return channel;
  }

  /** Cheap pre-check before the item rows are read: has this row version been dealt with? */
  public boolean isNew(String key) {
    return !processed.contains(key);
  }

  /**
   * @param advanceWatermark true for rows of the forward scan; false for the look-back scan, whose
   *     rows lie behind the watermark already
   */
  public void handle(IntermediatePrescription prescription, boolean advanceWatermark) {
    String key = prescription.key();
    for (int attempt = 1; ; attempt++) {
      try {
        transactions.executeWithoutResult(tx -> {
          if (!processed.add(key)) {
            advance(prescription, advanceWatermark);
            return;
          }
          RdeConversionResult result = converter.convert(prescription, institution);
          List<String> ids = writer.write(result.toTransactionBundle(), institution);
          store.insert(message(prescription), MessageStatus.PROCESSED, "AA", null, null, ids,
              warnings(result));
          advance(prescription, advanceWatermark);
        });
        return;
      } catch (FeedWriteException e) {
        if (e.reason() == FeedWriteException.Reason.CONFLICT && attempt < MAX_CONFLICT_ATTEMPTS) {
          continue;
        }
        failed(prescription, advanceWatermark, e.chineseMessage() + " | " + e.getMessage(), code(e));
        return;
      } catch (IntermediateRowException e) {
        failed(prescription, advanceWatermark, e.chineseMessage() + " | " + e.getMessage(), "102");
        return;
      } catch (RuntimeException e) {
        log.error("Intermediate channel {}: prescription {} failed", channel, prescription.prescriptionNo(), e);
        failed(prescription, advanceWatermark, "联药网关内部错误 | " + e, "207");
        return;
      }
    }
  }

  /** Re-runs a stored FAILED prescription with the current configuration and mappings. */
  public StoredMessage replay(long messageId) {
    try {
      transactions.executeWithoutResult(tx -> {
        StoredMessage locked = store.lock(messageId).orElseThrow();
        if (locked.status().isDone()) {
          return;
        }
        IntermediatePrescription prescription = IntermediatePrescription.fromJson(locked.raw());
        RdeConversionResult result = converter.convert(prescription, institution);
        List<String> ids = writer.write(result.toTransactionBundle(), institution);
        store.markProcessed(messageId, MessageStatus.REPLAYED, ids, warnings(result));
      });
    } catch (FeedWriteException e) {
      store.markFailed(messageId, "AE", code(e), e.chineseMessage() + " | " + e.getMessage());
    } catch (IntermediateRowException e) {
      store.markFailed(messageId, "AE", "102", e.chineseMessage() + " | " + e.getMessage());
    }
    return store.find(messageId).orElseThrow();
  }

  private void failed(IntermediatePrescription prescription, boolean advanceWatermark, String error, String code) {
    log.info("Intermediate channel {}: prescription {} failed: {}", channel, prescription.prescriptionNo(), error);
    transactions.executeWithoutResult(tx -> {
      if (processed.add(prescription.key())) {
        store.insert(message(prescription), MessageStatus.FAILED, "AE", code, error, List.of(), null);
      }
      advance(prescription, advanceWatermark);
    });
  }

  private void advance(IntermediatePrescription prescription, boolean advanceWatermark) {
    // A row without updated_at never matches the keyset query again; nothing to move past.
    if (advanceWatermark && prescription.updatedAt() != null) {
      String number = prescription.prescriptionNo();
      watermarks.advance(channel, prescription.updatedAt(), number == null ? "" : number);
    }
  }

  private NewMessage message(IntermediatePrescription prescription) {
    return new NewMessage(MessageDirection.IN, channel, NewMessage.SQL, MESSAGE_TYPE, prescription.key(), "UTF-8",
        prescription.toJson(), source);
  }

  private static String code(FeedWriteException e) {
    return e.reason() == FeedWriteException.Reason.NOT_OWNED ? "204" : "207";
  }

  private static String warnings(RdeConversionResult result) {
    if (result.warnings().isEmpty()) {
      return null;
    }
    return result.warnings().stream().map(w -> w.code().getCode() + " " + w.chinese()).collect(Collectors.joining("\n"));
  }
}
