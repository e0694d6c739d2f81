package org.lianyao.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.testsupport.TestPostgres;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Demo steps are skipped at a restart only while their inputs are unchanged, on PostgreSQL. */
class DemoLoadRecordIT {

  private static DataSource dataSource;

  @BeforeAll
  static void migrate() {
    DriverManagerDataSource ds = new DriverManagerDataSource(TestPostgres.createDatabase("demoload"));
    if (TestPostgres.username() != null) {
      ds.setUsername(TestPostgres.username());
      ds.setPassword(TestPostgres.password());
    }
    Flyway.configure().dataSource(ds).schemas("lianyao").defaultSchema("lianyao").createSchemas(true)
        .locations("classpath:db/migration").load().migrate();
    dataSource = ds;
  }

  private static List<Resource> file(String name, String content) {
    return List.of(new ByteArrayResource(content.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public String getFilename() {
        return name;
      }
    });
  }

  @Test
  void aRestartSkipsUnchangedStepsAndLoadsChangedOnesAndTheStepsAfterThem() {
    List<String> ran = new ArrayList<>();
    DemoLoadRecord firstStart = new DemoLoadRecord(dataSource);
    assertThat(firstStart.loadUnlessCurrent("a", file("a.json", "1"), () -> ran.add("a"))).isTrue();
    assertThat(firstStart.loadUnlessCurrent("b", file("b.csv", "x"), () -> ran.add("b"))).isTrue();

    DemoLoadRecord unchanged = new DemoLoadRecord(dataSource);
    assertThat(unchanged.loadUnlessCurrent("a", file("a.json", "1"), () -> ran.add("a"))).isFalse();
    assertThat(unchanged.loadUnlessCurrent("b", file("b.csv", "x"), () -> ran.add("b"))).isFalse();
    assertThat(ran).containsExactly("a", "b");

    // "a" changed: it is loaded, and so is "b", which builds on it, though its own file is the same.
    DemoLoadRecord changed = new DemoLoadRecord(dataSource);
    assertThat(changed.loadUnlessCurrent("a", file("a.json", "2"), () -> ran.add("a"))).isTrue();
    assertThat(changed.loadUnlessCurrent("b", file("b.csv", "x"), () -> ran.add("b"))).isTrue();
    assertThat(ran).containsExactly("a", "b", "a", "b");

    DemoLoadRecord again = new DemoLoadRecord(dataSource);
    assertThat(again.loadUnlessCurrent("a", file("a.json", "2"), () -> ran.add("a"))).isFalse();
    assertThat(again.loadUnlessCurrent("b", file("b.csv", "x"), () -> ran.add("b"))).isFalse();
  }

  @Test
  void aFailedStepIsTriedAgainAtTheNextStart() {
    DemoLoadRecord firstStart = new DemoLoadRecord(dataSource);
    assertThatThrownBy(() -> firstStart.loadUnlessCurrent("failing", file("f.json", "1"), () -> {
      throw new IllegalStateException("2 demo prescriptions skipped");
    })).hasMessageContaining("skipped");

    List<String> ran = new ArrayList<>();
    assertThat(new DemoLoadRecord(dataSource).loadUnlessCurrent("failing", file("f.json", "1"), () -> ran.add("f")))
        .isTrue();
    assertThat(ran).containsExactly("f");
  }

  @Test
  void theDigestCoversNamesContentAndGatewayVersion() {
    String base = DemoLoadRecord.digest("1.0", file("a.json", "1"));
    assertThat(DemoLoadRecord.digest("1.0", file("a.json", "1"))).isEqualTo(base).hasSize(64);
    assertThat(DemoLoadRecord.digest("1.1", file("a.json", "1"))).isNotEqualTo(base);
    assertThat(DemoLoadRecord.digest("1.0", file("b.json", "1"))).isNotEqualTo(base);
    assertThat(DemoLoadRecord.digest("1.0", file("a.json", "2"))).isNotEqualTo(base);
  }
}
