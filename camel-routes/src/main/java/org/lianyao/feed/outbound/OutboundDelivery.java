package org.lianyao.feed.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpConstants;
import org.lianyao.feed.spi.MessageStore;
import org.lianyao.feed.spi.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward delivery of outbound messages over MLLP, channel by channel, strictly in the
 * order they were queued: a channel's next message is sent only after the previous one was
 * accepted. Per message:
 *
 * <ul>
 *   <li>AA / CA: SENT;</li>
 *   <li>connection refused, timeout, no ACK, AR / CR (receiver down or busy: "rejected for reasons
 *       unrelated to content"): stays PENDING, retried after a backoff that doubles up to a maximum;
 *       the channel waits, so a HIS that was down receives everything, in order, when it returns.
 *       After {@code maxRejects} AR answers the message is set FAILED so it cannot block for ever;</li>
 *   <li>AE / CE (the receiver refuses the content): FAILED at once, visible in the admin API, which
 *       can queue it again; the channel goes on with its next message.</li>
 * </ul>
 */
public final class OutboundDelivery {

  private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

  /** What the delivery needs from the store beyond {@link MessageStore}. */
  public interface RefusalRecorder {
    void refused(long id, String ackCode, String error);
  }

  private final MessageStore store;
  private final RefusalRecorder refusals;
  private final ProducerTemplate producer;
  private final Function<String, Optional<String>> endpointOfChannel;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxRejects;

  /**
   * @param endpointOfChannel channel id → camel-mllp producer URI, empty when the channel has no
   *     outbound destination (its messages wait)
   */
  public OutboundDelivery(MessageStore store, RefusalRecorder refusals, ProducerTemplate producer,
      Function<String, Optional<String>> endpointOfChannel, Duration initialBackoff, Duration maxBackoff,
      int maxRejects) {
    this.store = Objects.requireNonNull(store, "store");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.endpointOfChannel = Objects.requireNonNull(endpointOfChannel, "endpointOfChannel");
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRejects = maxRejects;
  }

  /** One pass over every channel with pending messages. */
  public void deliverPending() {
    for (String channel : store.outboundChannelsWithPending()) {
      try {
        deliverChannel(channel);
      } catch (RuntimeException e) {
        log.error("Outbound channel {}: delivery pass failed", channel, e);
      }
    }
  }

  private void deliverChannel(String channel) {
    Optional<String> endpoint = endpointOfChannel.apply(channel);
    if (endpoint.isEmpty()) {
      log.debug("Outbound channel {} has no destination configured; messages wait", channel);
      return;
    }
    while (true) {
      Optional<StoredMessage> next = store.oldestPending(channel);
      if (next.isEmpty()) {
        return;
      }
      StoredMessage message = next.get();
      if (message.nextAttemptAt() != null && message.nextAttemptAt().isAfter(Instant.now())) {
        return; // the oldest waits for its retry; the ones behind it wait for it
      }
      if (!send(channel, endpoint.get(), message)) {
        return;
      }
    }
  }

  /** @return true when the channel may go on with its next message */
  private boolean send(String channel, String endpoint, StoredMessage message) {
    Exchange result = producer.send(endpoint, exchange -> exchange.getIn().setBody(message.raw()));
    Exception failure = result.getException();
    if (failure == null) {
      String ack = result.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, "AA", String.class);
      store.markSent(message.id(), ack);
      log.info("Outbound channel {}: message {} ({}) delivered, {}", channel, message.id(), message.controlId(), ack);
      return true;
    }
    if (failure instanceof MllpApplicationErrorAcknowledgementException
        || failure instanceof MllpCommitErrorAcknowledgementException) {
      String code = failure instanceof MllpApplicationErrorAcknowledgementException ? "AE" : "CE";
      refusals.refused(message.id(), code, "接收方拒绝（" + code + "）| receiver answered " + code + ": "
          + failure.getMessage());
      log.warn("Outbound channel {}: message {} refused by the receiver ({})", channel, message.id(), code);
      return true;
    }
    boolean reject = failure instanceof MllpApplicationRejectAcknowledgementException
        || failure instanceof MllpCommitRejectAcknowledgementException;
    if (reject && message.attempts() + 1 >= maxRejects) {
      refusals.refused(message.id(), "AR", "接收方多次拒收（AR）| receiver rejected it " + maxRejects + " times");
      return true;
    }
    long delay = backoff(message.attempts());
    store.deferDelivery(message.id(), (reject ? "接收方暂不接收（AR），稍后重发" : "接收方不可达，稍后重发")
        + " | " + failure, delay);
    log.info("Outbound channel {}: message {} not delivered ({}); next attempt in {} ms", channel, message.id(),
        failure.getClass().getSimpleName(), delay);
    return false;
  }

  long backoff(int attempts) {
    long millis = initialBackoff.toMillis() << Math.min(attempts, 20);
    return Math.min(millis, maxBackoff.toMillis());
  }
}
