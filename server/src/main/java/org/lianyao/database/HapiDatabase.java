package org.lianyao.database;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import java.util.Locale;

/**
 * The database engines Lianyao runs on, recognised from the JDBC URL so that an operator only sets
 * {@code SPRING_DATASOURCE_URL}: the HAPI dialect and migrator driver follow from it.
 */
public enum HapiDatabase {
  H2("jdbc:h2:", DriverTypeEnum.H2_EMBEDDED, HapiFhirH2Dialect.class.getName()),
  POSTGRES("jdbc:postgresql:", DriverTypeEnum.POSTGRES_9_4, HapiFhirPostgresDialect.class.getName());

  private final String urlPrefix;
  private final DriverTypeEnum migratorDriver;
  private final String hibernateDialect;

  HapiDatabase(String urlPrefix, DriverTypeEnum migratorDriver, String hibernateDialect) {
    this.urlPrefix = urlPrefix;
    this.migratorDriver = migratorDriver;
    this.hibernateDialect = hibernateDialect;
  }

  public static HapiDatabase fromJdbcUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    for (HapiDatabase db : values()) {
      if (url.startsWith(db.urlPrefix)) {
        return db;
      }
    }
    throw new IllegalStateException("Unsupported database URL '" + jdbcUrl
        + "': Lianyao runs on PostgreSQL (jdbc:postgresql:) or embedded H2 (jdbc:h2:)");
  }

  public DriverTypeEnum migratorDriver() {
    return migratorDriver;
  }

  public String hibernateDialect() {
    return hibernateDialect;
  }
}
