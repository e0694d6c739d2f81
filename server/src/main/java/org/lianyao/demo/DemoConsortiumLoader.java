package org.lianyao.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.lianyao.database.HapiDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Loads the demo consortium: every {@code classpath*:demo/*.json} transaction bundle, in file-name
 * order. Bundles use conditional updates keyed on business identifiers, so a second load (or a second
 * node) creates nothing twice: HAPI turns an unchanged conditional update into a no-op. A restart
 * with the same bundles skips them altogether ({@link DemoLoadRecord}).
 */
@Component
@Order(100)
public class DemoConsortiumLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoConsortiumLoader.class);

  private final DemoProperties properties;
  private final HapiDatabase database;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final FhirContext fhirContext;
  private final DemoLoadRecord record;

  public DemoConsortiumLoader(DemoProperties properties, HapiDatabase database,
      IFhirSystemDao<Bundle, ?> systemDao, FhirContext fhirContext, DemoLoadRecord record) {
    this.properties = properties;
    this.database = database;
    this.systemDao = systemDao;
    this.fhirContext = fhirContext;
    this.record = record;
  }

  /** Records demo steps, so that a restart skips the unchanged ones. */
  public DemoLoadRecord record() {
    return record;
  }

  public boolean isEnabled() {
    return properties.enabled() != null ? properties.enabled() : database == HapiDatabase.H2;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (!isEnabled()) {
      log.info("Demo consortium not loaded (lianyao.demo.enabled is off for {})", database);
      return;
    }
    List<Resource> bundles = bundles();
    record.loadUnlessCurrent("bundles", bundles, () -> {
      try {
        for (Resource resource : bundles) {
          load(resource);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static List<Resource> bundles() throws IOException {
    Resource[] bundles = new PathMatchingResourcePatternResolver().getResources("classpath*:demo/*.json");
    Arrays.sort(bundles, Comparator.comparing(Resource::getFilename));
    return List.of(bundles);
  }

  private void load(Resource resource) throws IOException {
    long start = System.currentTimeMillis();
    Bundle bundle;
    try (InputStream in = resource.getInputStream()) {
      bundle = fhirContext.newJsonParser()
          .parseResource(Bundle.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Bundle response = systemDao.transaction(new SystemRequestDetails(), bundle);
    long created = response.getEntry().stream()
        .filter(e -> e.getResponse().getStatus().startsWith("201")).count();
    log.info("Demo bundle {}: {} entries, {} created, in {} ms", resource.getFilename(),
        bundle.getEntry().size(), created, System.currentTimeMillis() - start);
  }
}
