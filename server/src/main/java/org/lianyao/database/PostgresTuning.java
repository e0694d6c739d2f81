package org.lianyao.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL settings checked and tuned at start (nothing on H2): warns when autovacuum is off, and
 * sets the per-column statistics targets of {@link PostgresTuningProperties}. HAPI's migrator owns
 * its tables' schema; a statistics target is a planner setting only (no rewrite, no lock that blocks
 * reads or writes), applied again at every start where it differs, e.g. after a HAPI upgrade.
 */
@Component
@Order(1)
public class PostgresTuning implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(PostgresTuning.class);

  private final HapiDatabase database;
  private final JdbcTemplate jdbc;
  private final PostgresTuningProperties properties;

  public PostgresTuning(HapiDatabase database, DataSource dataSource, PostgresTuningProperties properties) {
    this.database = database;
    this.jdbc = new JdbcTemplate(dataSource);
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (database != HapiDatabase.POSTGRES) {
      return;
    }
    warnIfAutovacuumOff();
    applyStatisticsTargets(properties);
  }

  private void warnIfAutovacuumOff() {
    String autovacuum = jdbc.queryForObject("select current_setting('autovacuum')", String.class);
    if ("off".equalsIgnoreCase(autovacuum)) {
      // Without it freshly loaded tables have no planner statistics (the prescription bench's shared
      // view cost 14 instead of 10 ms of database CPU) and HAPI's tables are never vacuumed.
      log.warn("PostgreSQL runs with autovacuum = off: tables get no planner statistics and are never vacuumed;"
          + " turn it on, or run VACUUM ANALYZE after bulk loads");
    }
  }

  /**
   * Sets each target that differs (columns checked by {@link PostgresTuningProperties}); returns the
   * columns changed ({@code table.column}).
   */
  List<String> applyStatisticsTargets(PostgresTuningProperties tuning) {
    List<String> changed = new ArrayList<>();
    Map<String, List<String>> analyze = new TreeMap<>();
    new TreeMap<>(tuning.statisticsTargets()).forEach((key, target) -> {
      String table = key.substring(0, key.indexOf('.'));
      String column = key.substring(key.indexOf('.') + 1);
      List<Integer> current = jdbc.queryForList(
          "select a.attstattarget from pg_attribute a where a.attrelid = to_regclass(?) and a.attname = ? and not a.attisdropped",
          Integer.class, table, column);
      if (current.isEmpty()) {
        log.warn("Statistics target for {} not set: no such column", key);
        return;
      }
      // PostgreSQL 17 stores the default as null, earlier versions as -1.
      int now = current.get(0) == null ? -1 : current.get(0);
      if (now != target) {
        jdbc.execute("alter table " + table + " alter column " + column + " set statistics " + target);
        analyze.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
        changed.add(key);
        log.info("Statistics target of {} set to {} (was {})", key, target, now);
      }
    });
    analyze.forEach((table, columns) -> jdbc.execute("analyze " + table + " (" + String.join(", ", columns) + ")"));
    return changed;
  }
}
