package org.lianyao.feed;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.lianyao.feed.hl7.Hl7ConverterConfig;
import org.lianyao.feed.spi.StoredMessage;
import org.lianyao.feed.sql.IntermediateDbRoute;
import org.lianyao.feed.sql.IntermediateRowConverter;
import org.lianyao.feed.sql.IntermediateRowHandler;
import org.lianyao.terminology.TerminologyResources;
import org.lianyao.terminology.id.NhsaInstitutionCodeValidator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The intermediate-database channels: a small connection pool per HIS database, Camel's JDBC
 * idempotent repository per channel (table {@code lianyao.CAMEL_MESSAGEPROCESSED}, created by
 * Flyway), the row handlers and their polling routes; and replay of stored rows.
 */
public class IntermediateFeedService implements DisposableBean {

  private record Channel(IntermediateDbRoute.Settings settings, HikariDataSource dataSource,
      IntermediateRowHandler handler) {}

  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final JdbcWatermarkStore watermarks;

  public IntermediateFeedService(IntermediateFeedProperties properties, TerminologyResources terminology,
      FhirDrugCodeMaps drugMaps, JdbcMessageStore store, HapiFhirTransactionWriter writer,
      JdbcWatermarkStore watermarks, DataSource gatewayDataSource, TransactionTemplate transactions) {
    this.watermarks = watermarks;
    Hl7ConverterConfig base = Hl7ConverterConfig.of(terminology, (s, c) -> java.util.Optional.empty());
    for (IntermediateFeedProperties.Channel c : properties.channels()) {
      String institution = c.institution() == null ? "" : c.institution().strip().toUpperCase(Locale.ROOT);
      String id = c.effectiveId();
      if (!NhsaInstitutionCodeValidator.isValid(institution)) {
        throw new IllegalStateException("lianyao.feeds.intermediate.channels: institution '" + c.institution()
            + "' is not an NHSA institution code");
      }
      if (c.url() == null || c.url().isBlank()) {
        throw new IllegalStateException("lianyao.feeds.intermediate.channels[" + id + "].url is required");
      }
      if (channels.containsKey(id)) {
        throw new IllegalStateException("lianyao.feeds.intermediate.channels: channel " + id + " configured twice");
      }
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(c.url());
      pool.setUsername(c.username());
      pool.setPassword(c.password());
      pool.setMaximumPoolSize(Math.max(1, c.maxConnections()));
      pool.setMinimumIdle(0);
      pool.setReadOnly(true);
      pool.setPoolName("his-" + id);
      // Do not fail the gateway's start when a HIS database is down: the poller retries.
      pool.setInitializationFailTimeout(-1);
      HikariDataSource his = new HikariDataSource(pool);

      JdbcMessageIdRepository processed = new JdbcMessageIdRepository(gatewayDataSource, transactions,
          "intermediate-" + id);
      processed.setTableName("lianyao.CAMEL_MESSAGEPROCESSED");
      processed.setCreateTableIfNotExists(false);
      processed.start();

      Hl7ConverterConfig config = base
          .withDrugCodeMapper(drugMaps.forUrl(c.drugMap() == null || c.drugMap().isBlank()
              ? FhirDrugCodeMaps.defaultUrl(institution) : c.drugMap()))
          .withPrescriptionCategory(Hl7ConverterConfig.prescriptionCategory(terminology, c.prescriptionCategory()));
      IntermediateRowHandler handler = new IntermediateRowHandler(id, institution, c.url().replaceAll("password=[^&;]*", "password=***"),
          new IntermediateRowConverter(config, terminology), store, writer, watermarks, processed, transactions);
      IntermediateDbRoute.Settings settings = new IntermediateDbRoute.Settings(id, "lianyao-his-" + id,
          c.headerTable(), c.itemTable(), c.pollInterval(), c.batchSize(), c.lookback(), c.lookbackBatchSize());
      channels.put(id, new Channel(settings, his, handler));
    }
  }

  /** Binds the HIS DataSources in the Camel registry and adds the polling routes. */
  public void addRoutes(CamelContext camelContext) throws Exception {
    for (Channel c : channels.values()) {
      camelContext.getRegistry().bind(c.settings().dataSourceName(), DataSource.class, c.dataSource());
      camelContext.addRoutes(new IntermediateDbRoute(c.settings(), c.handler(), watermarks));
    }
  }

  /** Replays a stored intermediate-table prescription of one of the configured channels. */
  public StoredMessage replay(long messageId, String channel) {
    Channel c = channels.get(channel);
    if (c == null) {
      throw new IllegalStateException("intermediate channel " + channel + " is not configured (any more)");
    }
    return c.handler().replay(messageId);
  }

  @Override
  public void destroy() {
    channels.values().forEach(c -> c.dataSource().close());
  }
}
