package org.lianyao.feed;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.MessageStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Searches of the message store for the admin API (without the raw bytes). */
public class MessageQueries {

  /** Search criteria; null fields are not filtered on. */
  public record Criteria(String channel, MessageStatus status, MessageDirection direction, String controlId,
      String messageType, OffsetDateTime from, OffsetDateTime to) {}

  /** One row of a search result. */
  public record Summary(long id, String direction, String channel, String protocol, String messageType,
      String controlId, String charset, String status, String statusText, String ackCode, String errorCode,
      String error, List<String> resultIds, int attempts, String remoteAddress, OffsetDateTime receivedAt,
      OffsetDateTime processedAt, OffsetDateTime nextAttemptAt) {}

  /** A page of results, newest first. */
  public record Page(long total, int page, int size, List<Summary> items) {}

  private final NamedParameterJdbcTemplate jdbc;

  public MessageQueries(JdbcTemplate jdbc) {
    this.jdbc = new NamedParameterJdbcTemplate(jdbc);
  }

  public Page search(Criteria c, int page, int size) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    MapSqlParameterSource p = new MapSqlParameterSource();
    if (c.channel() != null) {
      where.append(" and channel = :channel");
      p.addValue("channel", c.channel());
    }
    if (c.status() != null) {
      where.append(" and status = :status");
      p.addValue("status", c.status().name());
    }
    if (c.direction() != null) {
      where.append(" and direction = :direction");
      p.addValue("direction", c.direction().name());
    }
    if (c.controlId() != null) {
      where.append(" and control_id = :controlId");
      p.addValue("controlId", c.controlId());
    }
    if (c.messageType() != null) {
      where.append(" and message_type = :messageType");
      p.addValue("messageType", c.messageType());
    }
    if (c.from() != null) {
      where.append(" and received_at >= :from");
      p.addValue("from", c.from());
    }
    if (c.to() != null) {
      where.append(" and received_at < :to");
      p.addValue("to", c.to());
    }
    Long total = jdbc.queryForObject("select count(*) from lianyao.message" + where, p, Long.class);
    p.addValue("limit", size);
    p.addValue("offset", (long) page * size);
    List<Summary> items = new ArrayList<>(jdbc.query("select id, direction, channel, protocol, message_type,"
        + " control_id, charset, status, ack_code, error_code, error, result_ids, attempts, remote_address,"
        + " received_at, processed_at, next_attempt_at from lianyao.message" + where
        + " order by id desc limit :limit offset :offset", p, (rs, i) -> {
          String ids = rs.getString("result_ids");
          MessageStatus status = MessageStatus.parse(rs.getString("status"));
          return new Summary(rs.getLong("id"), rs.getString("direction"), rs.getString("channel"),
              rs.getString("protocol"), rs.getString("message_type"), rs.getString("control_id"),
              rs.getString("charset"), status.name(), status.chinese(), rs.getString("ack_code"),
              rs.getString("error_code"), rs.getString("error"),
              ids == null || ids.isBlank() ? List.of() : List.of(ids.split(" ")), rs.getInt("attempts"),
              rs.getString("remote_address"), rs.getObject("received_at", OffsetDateTime.class),
              rs.getObject("processed_at", OffsetDateTime.class), rs.getObject("next_attempt_at", OffsetDateTime.class));
        }));
    return new Page(total == null ? 0 : total, page, size, items);
  }
}
