package org.lianyao.feed;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.hl7.fhir.r4.model.Bundle;
import org.lianyao.feed.hl7.Hl7MessageHandler;
import org.lianyao.feed.hl7.Hl7MllpRoute;
import org.lianyao.feed.outbound.OutboundDelivery;
import org.lianyao.feed.outbound.OutboundDeliveryRoute;
import org.lianyao.feed.outbound.PrescriptionNoticeEncoder;
import org.lianyao.security.fhir.InstitutionDirectory;
import org.lianyao.security.fhir.ResourceOwnership;
import org.lianyao.terminology.TerminologyResources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the legacy HIS feeds (issue #6): message store, FHIR writer, HL7 v2 channels and the MLLP
 * listener. The routes themselves live in the camel-routes module and only see the interfaces of
 * {@code org.lianyao.feed.spi}; Camel Spring Boot starts every RouteBuilder bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class FeedConfiguration {

  @Bean
  JdbcMessageStore messageStore(JdbcTemplate jdbc) {
    return new JdbcMessageStore(jdbc);
  }

  @Bean
  MessageQueries messageQueries(JdbcTemplate jdbc) {
    return new MessageQueries(jdbc);
  }

  /**
   * Transactions of the feeds on the gateway database, through the JPA transaction manager so that
   * HAPI's writes and the feeds' JDBC statements share one connection and commit together.
   */
  @Bean
  TransactionTemplate feedTransactions(PlatformTransactionManager transactionManager) {
    return new TransactionTemplate(transactionManager);
  }

  @Bean
  HapiFhirTransactionWriter feedFhirWriter(IFhirSystemDao<Bundle, ?> systemDao, InstitutionDirectory directory,
      ResourceOwnership ownership) {
    return new HapiFhirTransactionWriter(systemDao, directory, ownership);
  }

  @Bean
  FhirDrugCodeMaps fhirDrugCodeMaps(DaoRegistry daoRegistry) {
    return new FhirDrugCodeMaps(daoRegistry);
  }

  @Bean
  FacilityAliasStore facilityAliasStore(JdbcTemplate jdbc) {
    return new FacilityAliasStore(jdbc);
  }

  @Bean
  TerminologyResources feedTerminology(FhirContext fhirContext) {
    return new TerminologyResources(fhirContext);
  }

  @Bean
  ConfiguredHl7ChannelResolver hl7ChannelResolver(Hl7FeedProperties properties, TerminologyResources feedTerminology,
      FhirDrugCodeMaps drugMaps, FacilityAliasStore aliases) {
    return new ConfiguredHl7ChannelResolver(properties, feedTerminology, drugMaps, aliases);
  }

  @Bean
  Hl7MessageHandler hl7MessageHandler(ConfiguredHl7ChannelResolver channels, JdbcMessageStore store,
      HapiFhirTransactionWriter writer, TransactionTemplate feedTransactions) {
    return new Hl7MessageHandler(channels, store, writer, feedTransactions);
  }

  @Bean
  @ConditionalOnProperty(prefix = "lianyao.feeds.hl7", name = "enabled", havingValue = "true", matchIfMissing = true)
  Hl7MllpRoute hl7MllpRoute(Hl7FeedProperties properties, Hl7MessageHandler handler) {
    return new Hl7MllpRoute(new Hl7MllpRoute.Settings(properties.bindAddress(), properties.port(),
        properties.maxConnections(), properties.receiveTimeout(), properties.readTimeout(), properties.idleTimeout()),
        handler);
  }

  @Bean
  JdbcWatermarkStore watermarkStore(JdbcTemplate jdbc) {
    return new JdbcWatermarkStore(jdbc);
  }

  @Bean
  @ConditionalOnProperty(prefix = "lianyao.feeds.intermediate", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  IntermediateFeedService intermediateFeedService(IntermediateFeedProperties properties,
      TerminologyResources feedTerminology, FhirDrugCodeMaps drugMaps, JdbcMessageStore store,
      HapiFhirTransactionWriter writer, JdbcWatermarkStore watermarks, DataSource dataSource,
      TransactionTemplate feedTransactions) {
    return new IntermediateFeedService(properties, feedTerminology, drugMaps, store, writer, watermarks, dataSource,
        feedTransactions);
  }

  @Bean
  CamelContextConfiguration intermediateDbRoutes(ObjectProvider<IntermediateFeedService> service) {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext camelContext) {
        IntermediateFeedService s = service.getIfAvailable();
        if (s != null) {
          try {
            s.addRoutes(camelContext);
          } catch (Exception e) {
            throw new IllegalStateException("intermediate-database routes could not be added", e);
          }
        }
      }

      @Override
      public void afterApplicationStart(CamelContext camelContext) {}
    };
  }

  @Bean
  PrescriptionNoticeEncoder prescriptionNoticeEncoder(Hl7FeedProperties properties) {
    return new PrescriptionNoticeEncoder(properties.controlIdNode(), "LIANYAO");
  }

  /** Configured channels with an outbound destination, by institution. */
  @Bean
  PrescriptionNoticeInterceptor.Destinations outboundDestinations(Hl7FeedProperties properties) {
    Map<String, PrescriptionNoticeInterceptor.Destination> byInstitution = new HashMap<>();
    for (Hl7FeedProperties.Channel c : properties.channels()) {
      if (c.outbound().enabled() && c.institution() != null) {
        Charset charset = Charset.forName(c.charset() == null || c.charset().isBlank()
            ? properties.defaultCharset() : c.charset());
        byInstitution.put(c.institution().strip().toUpperCase(Locale.ROOT), new PrescriptionNoticeInterceptor.Destination(
            c.effectiveId(), c.outbound().host() + ":" + c.outbound().port(), charset));
      }
    }
    return institution -> Optional.ofNullable(byInstitution.get(institution));
  }

  @Bean
  PrescriptionNoticeInterceptor prescriptionNoticeInterceptor(DaoRegistry daoRegistry, JdbcMessageStore store,
      JdbcTemplate jdbc, PrescriptionNoticeEncoder encoder, PrescriptionNoticeInterceptor.Destinations destinations) {
    return new PrescriptionNoticeInterceptor(daoRegistry, store, jdbc, encoder, destinations);
  }

  @Bean
  @ConditionalOnProperty(prefix = "lianyao.feeds.outbound", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  OutboundDeliveryRoute outboundDeliveryRoute(Hl7FeedProperties properties, FeedProperties feeds,
      JdbcMessageStore store, ProducerTemplate producer) {
    FeedProperties.Outbound settings = feeds.outbound();
    Map<String, String> endpoints = new HashMap<>();
    for (Hl7FeedProperties.Channel c : properties.channels()) {
      if (c.outbound().enabled()) {
        String charset = c.charset() == null || c.charset().isBlank() ? properties.defaultCharset() : c.charset();
        endpoints.put(c.effectiveId(), OutboundDeliveryRoute.endpoint(c.outbound().host(), c.outbound().port(),
            charset, settings.connectTimeout(), settings.ackTimeout()));
      }
    }
    OutboundDelivery delivery = new OutboundDelivery(store, store::markOutboundRefused, producer,
        channel -> Optional.ofNullable(endpoints.get(channel)), settings.initialBackoff(), settings.maxBackoff(),
        settings.maxRejects());
    return new OutboundDeliveryRoute(delivery, settings.pollInterval());
  }

  @Bean
  FeedRoutesStarter feedRoutesStarter(CamelContext camelContext) {
    return new FeedRoutesStarter(camelContext);
  }

  @Bean
  MessageRetention messageRetention(FeedProperties properties, JdbcTemplate jdbc) {
    return new MessageRetention(properties.messages(), jdbc);
  }
}
