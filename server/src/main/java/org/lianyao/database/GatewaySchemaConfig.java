package org.lianyao.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's own schema ({@code lianyao}) on both engines. Flyway quotes the schema name it
 * creates, while the gateway's SQL writes {@code lianyao.table} unquoted: PostgreSQL folds unquoted
 * names to lower case, H2 to upper case. On H2 the schema is therefore created as {@code LIANYAO},
 * so that the same SQL finds it on both.
 */
@Configuration(proxyBeanMethods = false)
public class GatewaySchemaConfig {

  @Bean
  FlywayConfigurationCustomizer gatewaySchemaCase() {
    return configuration -> {
      if (isH2(configuration.getDataSource())) {
        String[] schemas = configuration.getSchemas();
        String[] upper = new String[schemas.length];
        for (int i = 0; i < schemas.length; i++) {
          upper[i] = schemas[i].toUpperCase(Locale.ROOT);
        }
        configuration.schemas(upper);
        if (configuration.getDefaultSchema() != null) {
          configuration.defaultSchema(configuration.getDefaultSchema().toUpperCase(Locale.ROOT));
        }
      }
    };
  }

  private static boolean isH2(javax.sql.DataSource dataSource) {
    if (dataSource == null) {
      return false;
    }
    try (Connection connection = dataSource.getConnection()) {
      return HapiDatabase.fromJdbcUrl(connection.getMetaData().getURL()) == HapiDatabase.H2;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the database URL for the gateway schema", e);
    }
  }
}
