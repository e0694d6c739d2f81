package org.lianyao.formulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.lianyao.demo.DemoConsortiumLoader;
import org.lianyao.feed.catalog.CatalogWriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Demo formularies of 示例区医共体, loaded with the demo consortium and through the same import code
 * path as {@code $import-catalog} and the file route: the 2024 and 2025 consortium catalogs (the
 * catalog module's demo CSVs) and a 2025 member formulary for each member institution
 * ({@code demo/formulary/<NHSA code>-2025.csv}). The InsurancePlans come from
 * {@code demo/formulary-versions.json}, loaded just before by {@link DemoConsortiumLoader}.
 *
 * <p>Member coverage varies on purpose: the lead hospital stocks 58 of the 60 linkage drugs, the
 * community centre 45 (passes 60 %), the township centre 32 (below 60 %) and the village clinic 5
 * (below 30 % of the grassroots average: 品种偏少). Idempotent: importing the same files again changes
 * nothing; a restart with unchanged files skips them ({@link org.lianyao.demo.DemoLoadRecord}).
 */
@Component
@Order(110)
public class FormularyDemoLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(FormularyDemoLoader.class);

  /** Formulary version → classpath file, in load order (consortium versions before members). */
  static final List<String[]> FILES = List.of(
      new String[] {"YGT-2024", "org/lianyao/feed/catalog/demo/catalog-2024.csv"},
      new String[] {"YGT-2025", "org/lianyao/feed/catalog/demo/catalog-2025.csv"},
      new String[] {"H50011200001-2025", "demo/formulary/H50011200001-2025.csv"},
      new String[] {"H50011200002-2025", "demo/formulary/H50011200002-2025.csv"},
      new String[] {"H50011200003-2025", "demo/formulary/H50011200003-2025.csv"},
      new String[] {"H50011200004-2025", "demo/formulary/H50011200004-2025.csv"});

  private final DemoConsortiumLoader demo;
  private final Formularies formularies;
  private final CatalogImportService imports;

  public FormularyDemoLoader(DemoConsortiumLoader demo, Formularies formularies, CatalogImportService imports) {
    this.demo = demo;
    this.formularies = formularies;
    this.imports = imports;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!demo.isEnabled()) {
      return;
    }
    List<Resource> inputs = FILES.stream().<Resource>map(f -> new ClassPathResource(f[1])).toList();
    demo.record().loadUnlessCurrent("formularies", inputs, this::load);
  }

  /** Imports every demo formulary file into its version. */
  public void load() {
    for (String[] file : FILES) {
      FormularyVersion version = formularies.versionByIdentifier(file[0]).orElseThrow(() ->
          new IllegalStateException("demo formulary version " + file[0] + " missing (demo/formulary-versions.json)"));
      ClassPathResource resource = new ClassPathResource(file[1]);
      try (InputStream in = resource.getInputStream()) {
        CatalogImportService.Imported imported = imports.importFile(in, resource.getFilename(), version);
        if (imported.outcome() == null) {
          throw new IllegalStateException("demo catalog " + file[1] + " is invalid: " + imported.prepared().report().toText());
        }
        CatalogWriteOutcome o = imported.outcome();
        log.info("Demo formulary {}: {}", file[0], o.summary());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
