package org.lianyao.feed;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;
import org.lianyao.feed.sql.WatermarkStore;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link WatermarkStore} on {@code lianyao.feed_watermark}; joins the caller's transaction. */
public class JdbcWatermarkStore implements WatermarkStore {

  private final JdbcTemplate jdbc;

  public JdbcWatermarkStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Watermark> get(String channel) {
    return jdbc.query("select last_updated_at, last_key from lianyao.feed_watermark where channel = ?",
        (rs, i) -> new Watermark(rs.getTimestamp(1).toLocalDateTime(), rs.getString(2)), channel).stream().findFirst();
  }

  @Override
  public void advance(String channel, LocalDateTime updatedAt, String key) {
    Timestamp ts = Timestamp.valueOf(updatedAt);
    int updated = jdbc.update("update lianyao.feed_watermark set last_updated_at = ?, last_key = ?, updated_at = ?"
        + " where channel = ? and (last_updated_at < ? or (last_updated_at = ? and last_key < ?))",
        ts, key, JdbcMessageStore.now(), channel, ts, ts, key);
    if (updated == 0 && get(channel).isEmpty()) {
      jdbc.update("insert into lianyao.feed_watermark (channel, last_updated_at, last_key, updated_at) values (?, ?, ?, ?)",
          channel, ts, key, JdbcMessageStore.now());
    }
  }
}
