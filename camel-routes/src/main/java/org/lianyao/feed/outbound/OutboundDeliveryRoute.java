package org.lianyao.feed.outbound;

import java.time.Duration;
import java.util.Objects;
import org.apache.camel.builder.RouteBuilder;

/**
 * Runs {@link OutboundDelivery} every {@code pollInterval}. The timer never overlaps itself, which
 * with a single node keeps each channel's order; in a cluster, run it on one node (docs/feeds.md).
 */
public final class OutboundDeliveryRoute extends RouteBuilder {

  public static final String ROUTE_ID = "hl7-mllp-outbound";

  private final OutboundDelivery delivery;
  private final Duration pollInterval;

  public OutboundDeliveryRoute(OutboundDelivery delivery, Duration pollInterval) {
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  @Override
  public void configure() {
    fromF("timer:lianyao-outbound?delay=2000&period=%d", pollInterval.toMillis())
        .routeId(ROUTE_ID)
        // Started by the application once it is ready (profiles installed, institutions known).
        .autoStartup(false)
        .process(exchange -> delivery.deliverPending());
  }

  /** camel-mllp producer URI of a receiver. */
  public static String endpoint(String host, int port, String charset, Duration connectTimeout, Duration ackTimeout) {
    return "mllp://" + host + ":" + port + "?charsetName=" + charset
        + "&connectTimeout=" + connectTimeout.toMillis()
        + "&receiveTimeout=" + ackTimeout.toMillis()
        + "&readTimeout=" + ackTimeout.toMillis()
        + "&keepAlive=true&lazyStartProducer=true";
  }
}
