package org.lianyao.database;

import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades HAPI FHIR's own tables with HAPI's migrator (the engine behind
 * {@code hapi-fhir-cli migrate-database}) rather than Hibernate's ddl-auto, so that a later HAPI
 * upgrade migrates a production database in place. HAPI's migrator takes a database lock, so
 * several gateway nodes starting together on one PostgreSQL migrate once.
 */
public class HapiSchemaMigration {

  private static final Logger log = LoggerFactory.getLogger(HapiSchemaMigration.class);

  private final DataSource dataSource;
  private final HapiDatabase database;
  private MigrationResult lastResult;

  public HapiSchemaMigration(DataSource dataSource, HapiDatabase database) {
    this.dataSource = dataSource;
    this.database = database;
  }

  public MigrationResult migrate() {
    long start = System.currentTimeMillis();
    HapiMigrator migrator = new HapiMigrator(
        SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME, dataSource, database.migratorDriver());
    migrator.createMigrationTableIfRequired();
    migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
    MigrationResult result = migrator.migrate();
    log.info("HAPI FHIR schema migration on {}: {} tasks executed, {} succeeded, {} failed in {} ms",
        database, result.executedStatements.size(), result.succeededTasks.size(),
        result.failedTasks.size(), System.currentTimeMillis() - start);
    if (!result.failedTasks.isEmpty()) {
      throw new IllegalStateException("HAPI FHIR schema migration failed: " + result.failedTasks);
    }
    lastResult = result;
    return result;
  }

  /** What the last {@link #migrate()} did (empty task lists: the schema was already current). */
  public MigrationResult lastResult() {
    return lastResult;
  }
}
