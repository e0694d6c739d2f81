package org.lianyao.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Session settings of the gateway's PostgreSQL connections, given to the JDBC driver as start-up
 * {@code options} before the pool opens its first connection ({@link PostgresTuningProperties}).
 * The HIS intermediate databases' pools are not beans and keep their servers' settings.
 */
@Configuration(proxyBeanMethods = false)
public class PostgresSessionConfig {

  @Bean
  static BeanPostProcessor postgresSessionSettings(Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && HapiDatabase.fromJdbcUrl(pool.getJdbcUrl()) == HapiDatabase.POSTGRES) {
          PostgresTuningProperties tuning = Binder.get(environment)
              .bind("lianyao.database.postgres", PostgresTuningProperties.class)
              .orElseGet(() -> new PostgresTuningProperties(null, null));
          if (!tuning.planCacheMode().isEmpty()) {
            // Before options the operator gave the driver: a later -c of the same setting wins.
            String option = "-c plan_cache_mode=" + tuning.planCacheMode();
            Object existing = pool.getDataSourceProperties().get("options");
            pool.addDataSourceProperty("options", existing == null ? option : option + " " + existing);
          }
        }
        return bean;
      }
    };
  }
}
