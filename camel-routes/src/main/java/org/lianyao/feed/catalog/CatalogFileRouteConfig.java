package org.lianyao.feed.catalog;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the catalog file route when {@code lianyao.feeds.catalog.enabled=true}. The importer and the
 * writer come from the application (the server builds them on HAPI's DAOs), so this module does not
 * depend on the server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "lianyao.feeds.catalog", name = "enabled", havingValue = "true")
public class CatalogFileRouteConfig {

  @Bean
  public CatalogFileRoute catalogFileRoute(CatalogFileRouteProperties properties, CatalogImporter importer,
      CatalogTransactionWriter writer) {
    return new CatalogFileRoute(properties, importer, writer);
  }
}
