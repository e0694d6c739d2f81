package org.lianyao.feed.sql;

import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Where each intermediate-table poller stands ({@code lianyao.feed_watermark}): the last row
 * processed in ({@code updated_at}, {@code prescription_no}) order. Takes part in the caller's
 * transaction, so the watermark moves together with the row's FHIR result.
 */
public interface WatermarkStore {

  /** A position in ({@code updated_at}, {@code prescription_no}) order. */
  record Watermark(LocalDateTime updatedAt, String key) {

    /** Before every row. */
    public static final Watermark START = new Watermark(LocalDateTime.of(1900, 1, 1, 0, 0), "");

    public boolean isBefore(LocalDateTime otherUpdatedAt, String otherKey) {
      int c = updatedAt.compareTo(otherUpdatedAt);
      return c < 0 || (c == 0 && key.compareTo(otherKey) < 0);
    }
  }

  Optional<Watermark> get(String channel);

  /** Moves the channel's watermark forward to (updatedAt, key); never backwards. */
  void advance(String channel, LocalDateTime updatedAt, String key);
}
