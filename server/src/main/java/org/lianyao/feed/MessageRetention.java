package org.lianyao.feed;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes finished messages older than {@code lianyao.feeds.messages.retention} (and the
 * intermediate-table idempotency keys of the same age: the watermark is far past them). FAILED,
 * RECEIVED and PENDING messages are kept whatever their age: they still need someone's attention.
 * Deletes in batches so that a first purge of a large table does not hold long locks.
 */
public class MessageRetention {

  private static final Logger log = LoggerFactory.getLogger(MessageRetention.class);
  private static final int BATCH = 5_000;

  private final FeedProperties.Messages settings;
  private final JdbcTemplate jdbc;

  public MessageRetention(FeedProperties.Messages settings, JdbcTemplate jdbc) {
    this.settings = settings;
    this.jdbc = jdbc;
  }

  @Scheduled(cron = "${lianyao.feeds.messages.purge-cron:0 30 3 * * *}")
  public void scheduledPurge() {
    purge();
  }

  /** @return messages deleted */
  public int purge() {
    Duration retention = settings.retention();
    if (retention == null || retention.isZero() || retention.isNegative()) {
      return 0;
    }
    OffsetDateTime cutoff = JdbcMessageStore.now().minus(retention);
    int total = 0;
    int deleted;
    do {
      deleted = jdbc.update("delete from lianyao.message where id in (select id from lianyao.message"
          + " where status in ('PROCESSED', 'REPLAYED', 'SENT') and received_at < ? order by id limit " + BATCH + ")",
          cutoff);
      total += deleted;
    } while (deleted == BATCH);
    int keys = jdbc.update("delete from lianyao.CAMEL_MESSAGEPROCESSED where createdAt < ?",
        java.sql.Timestamp.from(cutoff.toInstant()));
    if (total > 0 || keys > 0) {
      log.info("Message retention ({}): {} messages and {} idempotency keys older than {} deleted", retention,
          total, keys, cutoff);
    }
    return total;
  }
}
