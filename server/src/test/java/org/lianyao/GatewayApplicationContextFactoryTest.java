package org.lianyao;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class GatewayApplicationContextFactoryTest {

  @Test
  void springBootsDefaultFactoryCreatesTheGatewaysServletContext() {
    ConfigurableApplicationContext servlet = ApplicationContextFactory.DEFAULT.create(WebApplicationType.SERVLET);
    ConfigurableApplicationContext plain = ApplicationContextFactory.DEFAULT.create(WebApplicationType.NONE);

    assertThat(servlet).isInstanceOf(GatewayApplicationContextFactory.EarlyFrozenServletContext.class);
    assertThat(plain).isNotInstanceOf(GatewayApplicationContextFactory.EarlyFrozenServletContext.class);
  }

  @Test
  void beansCreatedWithTheWebServerSeeFrozenDefinitionsAndFindEveryCandidate() {
    try (var context = new GatewayApplicationContextFactory.EarlyFrozenServletContext()) {
      context.register(WebServerWithInitializer.class);
      context.refresh();

      Observations seen = context.getBean(Observations.class);
      assertThat(seen.frozenWhenWebServerStarted).containsExactly(true);
      // By-type look-ups during and after the web server's start find every candidate.
      assertThat(seen.greetersSeenDuringStart).containsExactlyInAnyOrder("english", "chinese");
      assertThat(context.getBeansOfType(Greeter.class)).containsOnlyKeys("english", "chinese");
    }
  }

  interface Greeter {
    String greet();
  }

  static final class Observations {
    final List<Boolean> frozenWhenWebServerStarted = new ArrayList<>();
    final List<String> greetersSeenDuringStart = new ArrayList<>();
  }

  @Configuration(proxyBeanMethods = false)
  static class WebServerWithInitializer {
    @Bean
    TomcatServletWebServerFactory webServerFactory() {
      return new TomcatServletWebServerFactory(0);
    }

    @Bean
    Observations observations() {
      return new Observations();
    }

    @Bean
    Greeter english() {
      return () -> "hello";
    }

    @Bean
    Greeter chinese() {
      return () -> "你好";
    }

    /** Like the security filters: created, and run, while the web server starts. */
    @Bean
    ServletContextInitializer observer(Observations observations, ConfigurableListableBeanFactory beanFactory) {
      return servletContext -> {
        observations.frozenWhenWebServerStarted.add(beanFactory.isConfigurationFrozen());
        observations.greetersSeenDuringStart.addAll(beanFactory.getBeansOfType(Greeter.class).keySet());
      };
    }
  }
}
