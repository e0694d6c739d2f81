package org.lianyao.formulary;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.MultipartConfigElement;
import org.lianyao.feed.catalog.CatalogImporter;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/** Beans of the formulary capability that are not components of their own. */
@Configuration(proxyBeanMethods = false)
public class FormularyConfig {

  /** One importer for the operation, the file route and the demo data (thread-safe). */
  @Bean
  public CatalogImporter catalogImporter(FormularyTerminology terminology) {
    return new CatalogImporter(terminology.resources());
  }

  /**
   * Lets {@code $import-catalog} take a multipart upload: the FHIR servlet gets a multipart
   * configuration (size limit {@code lianyao.formulary.upload.max-file-size}) unless it has one.
   * It affects only multipart requests; FHIR bodies are read as before.
   */
  @Bean
  public static BeanPostProcessor fhirServletMultipart(Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof ServletRegistrationBean<?> registration
            && registration.getServlet() instanceof RestfulServer
            && registration.getMultipartConfig() == null) {
          DataSize max = environment.getProperty("lianyao.formulary.upload.max-file-size", DataSize.class,
              DataSize.ofMegabytes(20));
          // Parts above 1 MB go to a temporary file instead of the heap.
          registration.setMultipartConfig(new MultipartConfigElement(null, max.toBytes(), max.toBytes() + 1_048_576,
              1_048_576));
        }
        return bean;
      }
    };
  }
}
