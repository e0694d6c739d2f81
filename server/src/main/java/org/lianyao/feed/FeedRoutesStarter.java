package org.lianyao.feed;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.lianyao.feed.hl7.Hl7MllpRoute;
import org.lianyao.feed.outbound.OutboundDeliveryRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Starts the feed routes once the application is ready: the FHIR package (profiles, search
 * parameters) is installed and the institutions are known by then, so no message is accepted that
 * would be stored before the gateway can index and validate it. (The routes are defined with
 * {@code autoStartup(false)}.)
 */
public class FeedRoutesStarter {

  private static final Logger log = LoggerFactory.getLogger(FeedRoutesStarter.class);

  private final CamelContext camelContext;

  public FeedRoutesStarter(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() throws Exception {
    for (Route route : camelContext.getRoutes()) {
      String id = route.getRouteId();
      if (Hl7MllpRoute.ROUTE_ID.equals(id) || OutboundDeliveryRoute.ROUTE_ID.equals(id)
          || id.startsWith("intermediate-db-")) {
        camelContext.getRouteController().startRoute(id);
        log.info("Feed route {} started", id);
      }
    }
  }
}
