package org.lianyao.feed;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sending-facility aliases added at run time ({@code lianyao.feed_facility_alias}): an MSH-4 value
 * that is not an NHSA institution code → the member institution it stands for. Read on every
 * message through a short cache; the node that changes an alias clears its cache at once, others
 * within {@link #TTL}.
 */
public class FacilityAliasStore {

  static final Duration TTL = Duration.ofSeconds(30);

  /** One alias. */
  public record Alias(String alias, String institution, Instant createdAt, String createdBy) {}

  private final JdbcTemplate jdbc;
  private final LoadingCache<String, Map<String, String>> cache;

  public FacilityAliasStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.cache = Caffeine.newBuilder().expireAfterWrite(TTL).build(key -> load());
  }

  /** alias → institution. */
  public Map<String, String> aliases() {
    return cache.get("all");
  }

  public List<Alias> list() {
    return jdbc.query("select alias, institution, created_at, created_by from lianyao.feed_facility_alias order by alias",
        (rs, i) -> new Alias(rs.getString(1), rs.getString(2), JdbcMessageStore.instant(rs, "created_at"),
            rs.getString(4)));
  }

  public void put(String alias, String institution, String createdBy) {
    if (jdbc.update("update lianyao.feed_facility_alias set institution = ?, created_at = ?, created_by = ? where alias = ?",
        institution, JdbcMessageStore.now(), createdBy, alias) == 0) {
      jdbc.update("insert into lianyao.feed_facility_alias (alias, institution, created_at, created_by) values (?, ?, ?, ?)",
          alias, institution, JdbcMessageStore.now(), createdBy);
    }
    cache.invalidateAll();
  }

  public boolean delete(String alias) {
    boolean deleted = jdbc.update("delete from lianyao.feed_facility_alias where alias = ?", alias) > 0;
    cache.invalidateAll();
    return deleted;
  }

  public void invalidate() {
    cache.invalidateAll();
  }

  private Map<String, String> load() {
    Map<String, String> aliases = new LinkedHashMap<>();
    jdbc.query("select alias, institution from lianyao.feed_facility_alias",
        rs -> {
          aliases.put(rs.getString(1), rs.getString(2));
        });
    return Map.copyOf(aliases);
  }
}
