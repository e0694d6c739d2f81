package org.lianyao.feed.sql;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Polls one HIS intermediate database (中间库) with camel-sql. Each poll:
 *
 * <ol>
 *   <li>forward scan: prescriptions after the watermark in ({@code updated_at}, {@code prescription_no})
 *       order, at most {@code batchSize}; each one's items are read and it is handed to the
 *       {@link IntermediateRowHandler}, which moves the watermark with each row;</li>
 *   <li>look-back scan (when {@code lookback} &gt; 0): rows whose {@code updated_at} lies within
 *       {@code lookback} before the watermark. HIS transactions can commit rows stamped earlier than
 *       rows already read; those would be behind the watermark for ever. Rows seen before are
 *       skipped by the idempotent repository before their items are read.</li>
 * </ol>
 *
 * The HIS database is only read. Its DataSource is looked up in the Camel registry by name.
 */
public final class IntermediateDbRoute extends RouteBuilder {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  static final String ITEMS = "lianyaoItems";

  /**
   * @param channel channel id
   * @param dataSourceName name of the HIS DataSource in the Camel registry
   * @param headerTable table or view with the prescription rows
   * @param itemTable table or view with the item rows
   * @param pollInterval pause between polls
   * @param batchSize rows per forward scan
   * @param lookback how far behind the watermark late rows are looked for (0 = not at all)
   * @param lookbackBatchSize rows per look-back scan
   */
  public record Settings(String channel, String dataSourceName, String headerTable, String itemTable,
      Duration pollInterval, int batchSize, Duration lookback, int lookbackBatchSize) {

    public Settings {
      Objects.requireNonNull(channel, "channel");
      for (String table : new String[] {headerTable, itemTable}) {
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
          // Table names end up in SQL text: only plain identifiers are accepted.
          throw new IllegalArgumentException("intermediate channel " + channel + ": invalid table name " + table);
        }
      }
      if (batchSize < 1 || lookbackBatchSize < 1) {
        throw new IllegalArgumentException("intermediate channel " + channel + ": batch sizes must be positive");
      }
    }
  }

  private final Settings settings;
  private final IntermediateRowHandler handler;
  private final WatermarkStore watermarks;

  public IntermediateDbRoute(Settings settings, IntermediateRowHandler handler, WatermarkStore watermarks) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
  }

  public static String routeId(String channel) {
    return "intermediate-db-" + channel;
  }

  @Override
  public void configure() {
    String ds = "dataSource=#" + settings.dataSourceName();
    String columns = "prescription_no, resident_id, patient_name, gender, birth_date, prescriber_code,"
        + " prescriber_name, dept, diagnosis, written_at, status, updated_at";
    String forward = "sql:select * from " + settings.headerTable()
        + " where updated_at > :#lyTs or (updated_at = :#lyTs and prescription_no > :#lyKey)"
        + " order by updated_at, prescription_no?" + ds + "&outputType=SelectList&template.maxRows="
        + settings.batchSize();
    String lookback = "sql:select * from " + settings.headerTable()
        + " where updated_at >= :#lyFrom and updated_at <= :#lyTo order by updated_at, prescription_no?" + ds
        + "&outputType=SelectList&template.maxRows=" + settings.lookbackBatchSize();
    String items = "sql:select * from " + settings.itemTable()
        + " where prescription_no = :#prescription_no order by item_no?" + ds + "&outputHeader=" + ITEMS;

    fromF("timer:lianyao-intermediate-%s?delay=%d&period=%d", settings.channel(), 1000,
        settings.pollInterval().toMillis())
        .routeId(routeId(settings.channel()))
        // Started by the application once it is ready (profiles installed, institutions known).
        .autoStartup(false)
        .description("中间库处方轮询 " + settings.channel() + " (" + columns + ")")
        .process(this::positions)
        .to(forward)
        .split(body())
            .to(items)
            .process(e -> handle(e, true))
        .end()
        .filter(header("lyFrom").isNotNull())
            .to(lookback)
            .split(body())
                .filter(e -> handler.isNew(IntermediatePrescription.of(body(e), List.of()).key()))
                .to(items)
                .process(e -> handle(e, false))
            .end()
        .end();
  }

  /** Watermark before this poll: forward scan after it, look-back scan up to it. */
  private void positions(Exchange exchange) {
    WatermarkStore.Watermark w = watermarks.get(settings.channel()).orElse(WatermarkStore.Watermark.START);
    exchange.getIn().setHeader("lyTs", Timestamp.valueOf(w.updatedAt()));
    exchange.getIn().setHeader("lyKey", w.key());
    if (!settings.lookback().isZero() && w != WatermarkStore.Watermark.START) {
      exchange.getIn().setHeader("lyFrom", Timestamp.valueOf(w.updatedAt().minus(settings.lookback())));
      exchange.getIn().setHeader("lyTo", Timestamp.valueOf(w.updatedAt()));
    }
  }

  private void handle(Exchange exchange, boolean forward) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = exchange.getIn().getHeader(ITEMS, List.class);
    handler.handle(IntermediatePrescription.of(body(exchange), rows), forward);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(Exchange exchange) {
    return exchange.getIn().getBody(Map.class);
  }
}
