package org.lianyao.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.testsupport.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Statistics targets are set where they differ, once, and only on well-formed columns. */
class PostgresTuningIT {

  private static DriverManagerDataSource dataSource;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void database() {
    dataSource = new DriverManagerDataSource(TestPostgres.createDatabase("tuning"));
    if (TestPostgres.username() != null) {
      dataSource.setUsername(TestPostgres.username());
      dataSource.setPassword(TestPostgres.password());
    }
    jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("create table link (src bigint, tgt bigint, path varchar(100))");
    jdbc.execute("alter table link alter column src set statistics 10000");
    jdbc.execute("alter table link alter column tgt set statistics 10000");
    jdbc.execute("insert into link select g % 50, g % 7, 'p' from generate_series(1, 1000) g");
  }

  private static int target(String column) {
    return jdbc.queryForObject("select coalesce(attstattarget, -1) from pg_attribute where attrelid = 'link'::regclass and attname = ?",
        Integer.class, column);
  }

  @Test
  void setsTheTargetsThatDifferAndAnalyzesOnceThenFindsNothingToDo() {
    PostgresTuning tuning = new PostgresTuning(HapiDatabase.POSTGRES, dataSource, new PostgresTuningProperties(Map.of(), null));

    assertThat(tuning.applyStatisticsTargets(targets(Map.of("link.src", -1, "link.tgt", 10000, "link.path", 200))))
        .containsExactly("link.path", "link.src");
    assertThat(target("src")).isEqualTo(-1);
    assertThat(target("tgt")).isEqualTo(10000);
    assertThat(target("path")).isEqualTo(200);
    // Analyzed: the column has statistics now.
    assertThat(jdbc.queryForObject("select count(*) from pg_stats where tablename = 'link' and attname = 'src'", Integer.class))
        .isEqualTo(1);

    assertThat(tuning.applyStatisticsTargets(targets(Map.of("link.src", -1, "link.tgt", 10000, "link.path", 200)))).isEmpty();
    assertThat(tuning.applyStatisticsTargets(targets(Map.of("nosuchtable.src", -1)))).isEmpty();
  }

  @Test
  void refusesAnythingButATableDotColumnAndATargetInRange() {
    // Checked when the setting is bound, before anything reaches the database.
    assertThatThrownBy(() -> targets(Map.of("link.src; drop table link", -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table.column");
    assertThatThrownBy(() -> targets(Map.of("link.src", 20000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> targets(Map.of("Link.src", -1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(target("src")).isNotEqualTo(20000);
  }

  private static PostgresTuningProperties targets(Map<String, Integer> targets) {
    return new PostgresTuningProperties(targets, null);
  }

  @Test
  void onlyPostgresPlanCacheModesAreAccepted() {
    assertThat(new PostgresTuningProperties(null, " force_custom_plan ").planCacheMode()).isEqualTo("force_custom_plan");
    assertThat(new PostgresTuningProperties(null, null).planCacheMode()).isEmpty();
    assertThatThrownBy(() -> new PostgresTuningProperties(null, "custom"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plan-cache-mode");
  }
}
