package org.lianyao.feed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by the feeds ({@code lianyao.feeds.*}).
 *
 * @param messages message store retention
 * @param outbound delivery of outbound notices (store-and-forward over MLLP)
 */
@ConfigurationProperties("lianyao.feeds")
public record FeedProperties(@DefaultValue Messages messages, @DefaultValue Outbound outbound) {

  /**
   * @param retention how long messages are kept after they were received; 0 keeps them forever.
   *     Only finished messages are purged (PROCESSED, REPLAYED, SENT); FAILED, RECEIVED and PENDING
   *     ones stay until they are dealt with.
   * @param purgeCron when the purge runs (Spring cron, server time zone)
   */
  public record Messages(
      @DefaultValue("180d") Duration retention,
      @DefaultValue("0 30 3 * * *") String purgeCron) {}

  /**
   * @param enabled run the outbound delivery poller (run it on one node: it keeps each channel's order)
   * @param pollInterval how often the queue is looked at
   * @param initialBackoff wait after the first failed delivery; doubled on each further failure
   * @param maxBackoff longest wait between attempts
   * @param connectTimeout MLLP connect timeout
   * @param ackTimeout how long to wait for the receiver's ACK
   * @param maxRejects AR answers after which a message is set FAILED instead of blocking its channel
   */
  public record Outbound(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("2s") Duration initialBackoff,
      @DefaultValue("5m") Duration maxBackoff,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("15s") Duration ackTimeout,
      @DefaultValue("20") int maxRejects) {}
}
