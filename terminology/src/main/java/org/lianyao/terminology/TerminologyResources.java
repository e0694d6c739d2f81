package org.lianyao.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The CodeSystems, ValueSets, ConceptMaps and NamingSystems bundled in this jar, parsed into HAPI
 * R4 model objects. The profiles package builder puts them into the FHIR package and the server
 * loads them; converters use the lookups.
 *
 * <p>Files are listed in {@value #INDEX} rather than found by classpath scanning, which is
 * unreliable inside nested Spring Boot jars. Parsing is strict (an unknown element fails the load),
 * so a typo in a JSON file surfaces at start-up, not as a silently missing display.
 *
 * <p>Instances are immutable and thread-safe: everything is parsed once in the constructor, and
 * every accessor returns copies, so callers may modify what they get. Create one per application
 * (it reuses the caller's FhirContext, which is expensive to build).
 */
public final class TerminologyResources {

  /** Classpath folder of the bundled resources. */
  public static final String RESOURCE_PATH = "org/lianyao/terminology/fhir/";

  /** Index file: one resource file name per line, {@code #} starts a comment. */
  public static final String INDEX = RESOURCE_PATH + "index.txt";

  private final List<Resource> all;
  private final Map<String, CodeSystem> codeSystemsByUrl = new LinkedHashMap<>();
  private final Map<String, ValueSet> valueSetsByUrl = new LinkedHashMap<>();
  private final Map<String, ConceptMap> conceptMapsByUrl = new LinkedHashMap<>();
  private final Map<String, NamingSystem> namingSystemsByUniqueId = new LinkedHashMap<>();
  private final List<NamingSystem> namingSystems = new ArrayList<>();
  /** system → code (upper-cased when the system is case-insensitive) → concept, hierarchy flattened. */
  private final Map<String, Map<String, ConceptDefinitionComponent>> conceptIndex = new LinkedHashMap<>();

  /**
   * Parses all bundled resources.
   *
   * @param fhirContext an R4 context (shared; not retained beyond parsing)
   * @throws IllegalArgumentException if the context is not R4
   * @throws IllegalStateException if a file is missing, malformed, or duplicates a URL
   */
  public TerminologyResources(FhirContext fhirContext) {
    Objects.requireNonNull(fhirContext, "fhirContext");
    if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException(
          "TerminologyResources needs an R4 FhirContext, got " + fhirContext.getVersion().getVersion());
    }
    IParser parser = fhirContext.newJsonParser();
    parser.setParserErrorHandler(new StrictErrorHandler());
    List<Resource> loaded = new ArrayList<>();
    for (String fileName : fileNames()) {
      Resource resource = parse(parser, fileName);
      loaded.add(resource);
      index(fileName, resource);
    }
    this.all = Collections.unmodifiableList(loaded);
  }

  /** File names listed in the index, in index order. */
  public static List<String> fileNames() {
    List<String> names = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(open(INDEX))) {
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          names.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX, e);
    }
    return names;
  }

  /** Every bundled resource (copies), in index order. */
  public List<Resource> all() {
    return all.stream().map(Resource::copy).toList();
  }

  public List<CodeSystem> codeSystems() {
    return copies(codeSystemsByUrl, CodeSystem::copy);
  }

  public List<ValueSet> valueSets() {
    return copies(valueSetsByUrl, ValueSet::copy);
  }

  public List<ConceptMap> conceptMaps() {
    return copies(conceptMapsByUrl, ConceptMap::copy);
  }

  public List<NamingSystem> namingSystems() {
    return namingSystems.stream().map(NamingSystem::copy).toList();
  }

  public Optional<CodeSystem> codeSystem(String url) {
    return Optional.ofNullable(codeSystemsByUrl.get(url)).map(CodeSystem::copy);
  }

  public Optional<ValueSet> valueSet(String url) {
    return Optional.ofNullable(valueSetsByUrl.get(url)).map(ValueSet::copy);
  }

  public Optional<ConceptMap> conceptMap(String url) {
    return Optional.ofNullable(conceptMapsByUrl.get(url)).map(ConceptMap::copy);
  }

  /** The NamingSystem that lists {@code uniqueId} (an identifier system URI, OID or template). */
  public Optional<NamingSystem> namingSystem(String uniqueId) {
    return Optional.ofNullable(namingSystemsByUniqueId.get(uniqueId)).map(NamingSystem::copy);
  }

  /**
   * A concept of a bundled code system, found at any depth of its hierarchy. Honours
   * {@code CodeSystem.caseSensitive}: his-frequency matches {@code TID} and {@code tid} alike.
   */
  public Optional<ConceptDefinitionComponent> concept(String system, String code) {
    return Optional.ofNullable(rawConcept(system, code)).map(ConceptDefinitionComponent::copy);
  }

  /** The Chinese display of a bundled concept. */
  public Optional<String> display(String system, String code) {
    return Optional.ofNullable(rawConcept(system, code)).map(ConceptDefinitionComponent::getDisplay);
  }

  /** Whether {@code code} is defined by the bundled code system {@code system}. */
  public boolean hasConcept(String system, String code) {
    return rawConcept(system, code) != null;
  }

  /** All concepts of a bundled code system with the hierarchy flattened (copies), in document order. */
  public List<ConceptDefinitionComponent> concepts(String system) {
    Map<String, ConceptDefinitionComponent> concepts = conceptIndex.get(system);
    if (concepts == null) {
      return List.of();
    }
    return concepts.values().stream().map(ConceptDefinitionComponent::copy).toList();
  }

  // ---- internals ------------------------------------------------------------------------

  ConceptDefinitionComponent rawConcept(String system, String code) {
    if (system == null || code == null) {
      return null;
    }
    Map<String, ConceptDefinitionComponent> concepts = conceptIndex.get(system);
    if (concepts == null) {
      return null;
    }
    CodeSystem cs = codeSystemsByUrl.get(system);
    return concepts.get(key(cs, code));
  }

  private static String key(CodeSystem cs, String code) {
    // caseSensitive absent means "unknown"; treat as sensitive, the safer reading for national codes.
    boolean insensitive = cs.hasCaseSensitive() && !cs.getCaseSensitive();
    return insensitive ? code.toUpperCase(Locale.ROOT) : code;
  }

  private static <T extends Resource> List<T> copies(Map<String, T> byUrl, Function<T, T> copy) {
    return byUrl.values().stream().map(copy).toList();
  }

  private static Reader open(String path) {
    InputStream in = TerminologyResources.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + path);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  private static Resource parse(IParser parser, String fileName) {
    try (Reader reader = open(RESOURCE_PATH + fileName)) {
      Resource resource = (Resource) parser.parseResource(reader);
      String expected = resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
      if (!expected.equals(fileName)) {
        throw new IllegalStateException(fileName + " must be named " + expected);
      }
      return resource;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + fileName, e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("cannot parse " + fileName + ": " + e.getMessage(), e);
    }
  }

  private void index(String fileName, Resource resource) {
    if (resource instanceof CodeSystem cs) {
      putUnique(codeSystemsByUrl, cs.getUrl(), cs, fileName);
      Map<String, ConceptDefinitionComponent> concepts = new LinkedHashMap<>();
      flatten(cs, cs.getConcept(), concepts, fileName);
      conceptIndex.put(cs.getUrl(), concepts);
    } else if (resource instanceof ValueSet vs) {
      putUnique(valueSetsByUrl, vs.getUrl(), vs, fileName);
    } else if (resource instanceof ConceptMap cm) {
      putUnique(conceptMapsByUrl, cm.getUrl(), cm, fileName);
    } else if (resource instanceof NamingSystem ns) {
      namingSystems.add(ns);
      for (NamingSystem.NamingSystemUniqueIdComponent id : ns.getUniqueId()) {
        putUnique(namingSystemsByUniqueId, id.getValue(), ns, fileName);
      }
    } else {
      throw new IllegalStateException(fileName + ": unexpected resource type " + resource.fhirType());
    }
  }

  private static void flatten(CodeSystem cs, List<ConceptDefinitionComponent> concepts,
      Map<String, ConceptDefinitionComponent> into, String fileName) {
    for (ConceptDefinitionComponent concept : concepts) {
      if (into.put(key(cs, concept.getCode()), concept) != null) {
        throw new IllegalStateException(fileName + ": duplicate code " + concept.getCode());
      }
      flatten(cs, concept.getConcept(), into, fileName);
    }
  }

  private static <T> void putUnique(Map<String, T> map, String key, T value, String fileName) {
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(fileName + ": missing url / uniqueId");
    }
    if (map.putIfAbsent(key, value) != null) {
      throw new IllegalStateException(fileName + ": duplicate url / uniqueId " + key);
    }
  }
}
