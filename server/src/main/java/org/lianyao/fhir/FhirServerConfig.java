package org.lianyao.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;

/** The RESTful FHIR endpoint at {@code /fhir}: HAPI's JPA providers plus Lianyao's own. */
@Configuration
public class FhirServerConfig {

  private static final Logger log = LoggerFactory.getLogger(FhirServerConfig.class);

  @Bean
  public RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      JpaSystemProvider<?, ?> systemProvider,
      ValueSetOperationProvider valueSetOperationProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      IInterceptorService globalInterceptors,
      FhirServerProperties props,
      ObjectProvider<GatewayProvider> gatewayProviders,
      ObjectProvider<GatewayInterceptor> gatewayInterceptors) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    // Narratives are the senders' business; generating them costs time on every write.
    systemDao.getContext().setNarrativeGenerator(new NullNarrativeGenerator());
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.registerProvider(valueSetOperationProvider);
    gatewayProviders.orderedStream().forEach(server::registerProvider);

    JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
        server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription("联药 Lianyao 医联体药品互联互通网关 (FHIR R4)");
    server.setServerConformanceProvider(capabilities);
    server.setServerName("Lianyao FHIR gateway");
    server.setPagingProvider(pagingProvider);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setServerAddressStrategy(StringUtils.hasText(props.serverAddress())
        ? new HardcodedServerAddressStrategy(props.serverAddress())
        : new IncomingRequestAddressStrategy());
    server.registerInterceptor(new ResponseHighlighterInterceptor());
    if (props.openapiEnabled()) {
      server.registerInterceptor(new OpenApiInterceptor());
    }

    if (props.gatewayInterceptorsEnabled()) {
      List<GatewayInterceptor> interceptors = gatewayInterceptors.orderedStream().toList();
      for (GatewayInterceptor interceptor : interceptors) {
        if (interceptor.scope() == GatewayInterceptor.Scope.STORAGE) {
          globalInterceptors.registerInterceptor(interceptor);
        } else {
          server.registerInterceptor(interceptor);
        }
      }
      log.info("Gateway interceptors registered: {}",
          interceptors.stream().map(i -> i.getClass().getSimpleName()).toList());
    } else {
      log.warn("Gateway interceptors are OFF (lianyao.fhir.gateway-interceptors-enabled=false): "
          + "this is plain HAPI JPA, for benchmark baselines only");
    }
    return server;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(restfulServer, "/fhir/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }

  /** Innermost around the FHIR servlet: HAPI's per-value flushes stay in the response buffer. */
  @Bean
  public FilterRegistrationBean<ResponseBufferingFilter> fhirResponseBuffering() {
    FilterRegistrationBean<ResponseBufferingFilter> registration =
        new FilterRegistrationBean<>(new ResponseBufferingFilter());
    registration.addUrlPatterns("/fhir/*");
    registration.setOrder(Ordered.LOWEST_PRECEDENCE);
    return registration;
  }
}
