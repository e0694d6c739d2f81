package org.lianyao.feed;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.MessageStatus;
import org.lianyao.feed.spi.MessageStore;
import org.lianyao.feed.spi.NewMessage;
import org.lianyao.feed.spi.StoredMessage;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * {@link MessageStore} on table {@code lianyao.message} with Spring's JdbcTemplate on the gateway's
 * DataSource: statements join the current Spring transaction (the JPA transaction manager exposes
 * its connection), so a FHIR write through HAPI and the status change commit together.
 */
public class JdbcMessageStore implements MessageStore {

  static final String COLUMNS = "id, direction, channel, protocol, message_type, control_id, charset, raw, status,"
      + " ack_code, error_code, error, result_ids, warnings, attempts, remote_address, received_at, processed_at,"
      + " updated_at, next_attempt_at";
  /** Column limits of V1/V3. */
  private static final int MAX_TEXT = 4000;

  private final JdbcTemplate jdbc;

  public JdbcMessageStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Registration register(NewMessage message) {
    MessageStatus initial = message.direction() == MessageDirection.OUT ? MessageStatus.PENDING : MessageStatus.RECEIVED;
    try {
      return new Registration(insert(message, initial, null, null, null, List.of(), null), false);
    } catch (DuplicateKeyException e) {
      StoredMessage existing = jdbc.query("select " + COLUMNS + " from lianyao.message"
              + " where direction = ? and channel = ? and control_id = ?", MAPPER,
          message.direction().name(), message.channel(), message.controlId()).stream().findFirst()
          .orElseThrow(() -> e);
      return new Registration(existing, true);
    }
  }

  @Override
  public StoredMessage insert(NewMessage m, MessageStatus status, String ackCode, String errorCode, String error,
      List<String> resultIds, String warnings) {
    OffsetDateTime now = now();
    boolean finished = status != MessageStatus.RECEIVED && status != MessageStatus.PENDING;
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.update(connection -> {
      PreparedStatement ps = connection.prepareStatement("insert into lianyao.message (direction, channel, protocol,"
          + " message_type, control_id, charset, raw, status, ack_code, error_code, error, result_ids, attempts,"
          + " remote_address, received_at, processed_at, updated_at, next_attempt_at, warnings)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
      ps.setString(1, m.direction().name());
      ps.setString(2, clip(m.channel(), 64));
      ps.setString(3, m.protocol());
      ps.setString(4, clip(m.messageType(), 32));
      ps.setString(5, m.controlId() == null ? null : clip(m.controlId(), 64));
      ps.setString(6, m.charset());
      ps.setBytes(7, m.raw());
      ps.setString(8, status.name());
      ps.setString(9, ackCode);
      ps.setString(10, errorCode);
      ps.setString(11, clip(error, MAX_TEXT));
      ps.setString(12, ids(resultIds));
      ps.setInt(13, finished ? 1 : 0);
      ps.setString(14, clip(m.remoteAddress(), 128));
      ps.setObject(15, now);
      ps.setObject(16, finished ? now : null);
      ps.setObject(17, now);
      ps.setObject(18, status == MessageStatus.PENDING ? now : null);
      ps.setString(19, clip(warnings, MAX_TEXT));
      return ps;
    }, keys);
    long id = keys.getKey().longValue();
    return find(id).orElseThrow();
  }

  @Override
  public Optional<StoredMessage> find(long id) {
    return jdbc.query("select " + COLUMNS + " from lianyao.message where id = ?", MAPPER, id).stream().findFirst();
  }

  @Override
  public Optional<StoredMessage> lock(long id) {
    return jdbc.query("select " + COLUMNS + " from lianyao.message where id = ? for update", MAPPER, id)
        .stream().findFirst();
  }

  @Override
  public void retry(long id, byte[] raw, String charset, String messageType) {
    jdbc.update("update lianyao.message set raw = ?, charset = ?, message_type = ?, status = ?, ack_code = null,"
        + " error_code = null, error = null, updated_at = ? where id = ? and status = ?",
        raw, charset, clip(messageType, 32), MessageStatus.RECEIVED.name(), now(), id, MessageStatus.FAILED.name());
  }

  @Override
  public void markProcessed(long id, MessageStatus status, List<String> resultIds, String warnings) {
    OffsetDateTime now = now();
    jdbc.update("update lianyao.message set status = ?, ack_code = 'AA', error_code = null, error = null,"
        + " result_ids = ?, warnings = ?, attempts = attempts + 1, processed_at = ?, updated_at = ? where id = ?",
        status.name(), ids(resultIds), clip(warnings, MAX_TEXT), now, now, id);
  }

  @Override
  public void markFailed(long id, String ackCode, String errorCode, String error) {
    jdbc.update("update lianyao.message set status = ?, ack_code = ?, error_code = ?, error = ?,"
        + " attempts = attempts + 1, updated_at = ? where id = ?",
        MessageStatus.FAILED.name(), ackCode, errorCode, clip(error, MAX_TEXT), now(), id);
  }

  @Override
  public List<String> outboundChannelsWithPending() {
    return jdbc.queryForList("select distinct channel from lianyao.message where direction = 'OUT' and status = ?",
        String.class, MessageStatus.PENDING.name());
  }

  @Override
  public Optional<StoredMessage> oldestPending(String channel) {
    return jdbc.query("select " + COLUMNS + " from lianyao.message where direction = 'OUT' and status = ?"
        + " and channel = ? order by id limit 1", MAPPER, MessageStatus.PENDING.name(), channel).stream().findFirst();
  }

  @Override
  public void markSent(long id, String ackCode) {
    OffsetDateTime now = now();
    jdbc.update("update lianyao.message set status = ?, ack_code = ?, error = null, attempts = attempts + 1,"
        + " processed_at = ?, updated_at = ?, next_attempt_at = null where id = ?",
        MessageStatus.SENT.name(), ackCode, now, now, id);
  }

  @Override
  public void deferDelivery(long id, String error, long delayMillis) {
    OffsetDateTime now = now();
    jdbc.update("update lianyao.message set error = ?, attempts = attempts + 1, updated_at = ?, next_attempt_at = ?"
        + " where id = ?", clip(error, MAX_TEXT), now, now.plusNanos(delayMillis * 1_000_000L), id);
  }

  /** An outbound message the receiver refused (AE/AR): it will not be retried on its own. */
  public void markOutboundRefused(long id, String ackCode, String error) {
    jdbc.update("update lianyao.message set status = ?, ack_code = ?, error = ?, attempts = attempts + 1,"
        + " updated_at = ?, next_attempt_at = null where id = ?",
        MessageStatus.FAILED.name(), ackCode, clip(error, MAX_TEXT), now(), id);
  }

  /** Puts a failed outbound message back in its channel's queue (admin replay). */
  public boolean requeueOutbound(long id) {
    OffsetDateTime now = now();
    return jdbc.update("update lianyao.message set status = ?, next_attempt_at = ?, updated_at = ? where id = ?"
        + " and direction = 'OUT' and status = ?", MessageStatus.PENDING.name(), now, now, id,
        MessageStatus.FAILED.name()) == 1;
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static String ids(List<String> resultIds) {
    if (resultIds == null || resultIds.isEmpty()) {
      return null;
    }
    return clip(String.join(" ", resultIds), MAX_TEXT);
  }

  static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static final RowMapper<StoredMessage> MAPPER = (rs, row) -> {
    String ids = rs.getString("result_ids");
    return new StoredMessage(rs.getLong("id"), MessageDirection.valueOf(rs.getString("direction")),
        rs.getString("channel"), rs.getString("protocol"), rs.getString("message_type"), rs.getString("control_id"),
        rs.getString("charset"), rs.getBytes("raw"), MessageStatus.parse(rs.getString("status")),
        rs.getString("ack_code"), rs.getString("error_code"), rs.getString("error"),
        ids == null || ids.isBlank() ? List.of() : Arrays.asList(ids.split(" ")), rs.getString("warnings"),
        rs.getInt("attempts"), rs.getString("remote_address"), instant(rs, "received_at"),
        instant(rs, "processed_at"), instant(rs, "updated_at"), instant(rs, "next_attempt_at"));
  };
}
