package org.lianyao;

import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Creates the gateway's servlet application context: Spring Boot's own, except that it freezes the
 * bean definitions as soon as all bean factory post-processors have run instead of just before the
 * remaining singletons are created.
 *
 * <p>Why: Spring caches by-type bean look-ups only once the configuration is frozen, and the web
 * server is created before that — while its filters (security) pull in HAPI's FHIR server with
 * about 150 resource DAOs, every autowired field of which scanned some 2,000 bean definitions
 * uncached (seconds of every start-up). The definitions are complete by then; a definition or
 * singleton registered later still clears the caches (Spring does that), so this changes when the
 * caches start, not what they find.
 *
 * <p>Listed in {@code META-INF/spring.factories} ahead of Spring Boot's factory, so the
 * application and its integration tests start the same way.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class GatewayApplicationContextFactory implements ApplicationContextFactory {

  @Override
  public ConfigurableApplicationContext create(WebApplicationType webApplicationType) {
    // Other kinds (a non-web test context) are left to Spring Boot's factories.
    return webApplicationType == WebApplicationType.SERVLET ? new EarlyFrozenServletContext() : null;
  }

  static final class EarlyFrozenServletContext extends AnnotationConfigServletWebServerApplicationContext {
    @Override
    protected void onRefresh() {
      getBeanFactory().freezeConfiguration();
      super.onRefresh();
    }
  }
}
