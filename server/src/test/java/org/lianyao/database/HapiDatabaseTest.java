package org.lianyao.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import org.junit.jupiter.api.Test;

class HapiDatabaseTest {

  @Test
  void recognisesEnginesFromTheJdbcUrl() {
    assertThat(HapiDatabase.fromJdbcUrl("jdbc:postgresql://db:5432/lianyao")).isEqualTo(HapiDatabase.POSTGRES);
    assertThat(HapiDatabase.fromJdbcUrl("jdbc:h2:file:./data/lianyao")).isEqualTo(HapiDatabase.H2);
    assertThat(HapiDatabase.POSTGRES.migratorDriver()).isEqualTo(DriverTypeEnum.POSTGRES_9_4);
    assertThat(HapiDatabase.POSTGRES.hibernateDialect()).endsWith("HapiFhirPostgresDialect");
  }

  @Test
  void refusesUnsupportedEngines() {
    assertThatThrownBy(() -> HapiDatabase.fromJdbcUrl("jdbc:mysql://db/lianyao"))
        .hasMessageContaining("jdbc:postgresql:");
  }
}
