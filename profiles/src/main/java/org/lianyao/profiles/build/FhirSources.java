package org.lianyao.profiles.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads the hand-written FHIR JSON sources of the package. Parsing is strict so that a misspelt
 * element fails the build instead of silently vanishing from a profile or example.
 */
final class FhirSources {

  /** Differentials of extensions (generated first: profiles reference them). */
  static final String EXTENSIONS = "extensions";
  static final String PROFILES = "profiles";
  static final String SEARCH_PARAMETERS = "search-parameters";
  /** Code systems and value sets owned by this module (see the report on moving them to terminology). */
  static final String TERMINOLOGY = "terminology";
  static final String EXAMPLES = "examples";

  private final IParser parser;
  private final Path root;

  FhirSources(FhirContext fhirContext, Path root) {
    this.parser = fhirContext.newJsonParser();
    this.parser.setParserErrorHandler(new StrictErrorHandler());
    this.root = root;
  }

  /** All resources in one source folder, sorted by file name for a reproducible package. */
  List<Resource> read(String folder) {
    Path dir = root.resolve(folder);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Resource> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        resources.add(parse(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return resources;
  }

  private Resource parse(Path file) {
    String fileName = file.getFileName().toString();
    Resource resource;
    try {
      resource = (Resource) parser.parseResource(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new PackageBuildException(fileName + ": " + e.getMessage(), e);
    }
    // File name = {type}-{id}.json, the FHIR package convention; the index and HAPI rely on ids.
    String expected = resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
    if (!expected.equals(fileName)) {
      throw new PackageBuildException(file + " must be named " + expected);
    }
    return resource;
  }
}
