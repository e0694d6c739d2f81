package org.lianyao.profiles.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.FhirTerser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.fhirpath.TypeDetails;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.profiles.LianyaoProfiles;
import org.lianyao.terminology.TerminologyResources;

/**
 * Build step (run by exec-maven-plugin in {@code process-classes}, offline): reads the
 * differentials, search parameters and examples under {@code src/main/fhir}, generates snapshots,
 * adds every terminology resource of the terminology module, and writes the FHIR NPM package
 * {@value LianyaoPackage#PACKAGE_ID} into the classes directory. Any error fails the build.
 *
 * <p>Arguments: source folder, target .tgz, project version ({@code -SNAPSHOT} is dropped: FHIR
 * package versions are plain SemVer).
 */
public final class PackageBuilder {

  private static final String PACKAGE_FOLDER = "package";
  private static final String EXAMPLE_FOLDER = "package/example";

  private final FhirContext fhirContext;
  private final Path sources;
  private final String version;
  private final List<String> problems = new ArrayList<>();

  PackageBuilder(FhirContext fhirContext, Path sources, String projectVersion) {
    this.fhirContext = fhirContext;
    this.sources = sources;
    this.version = packageVersion(projectVersion);
  }

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: PackageBuilder <source folder> <target .tgz> <project version>");
    }
    // Thrown, not System.exit: exec:java runs inside Maven's JVM and turns the exception into a failed build.
    Summary summary = new PackageBuilder(FhirContext.forR4(), Path.of(args[0]), args[2]).build(Path.of(args[1]));
    System.out.println("[lianyao-profiles] " + summary);
  }

  /** {@code 0.1.0-SNAPSHOT} → {@code 0.1.0}. */
  public static String packageVersion(String projectVersion) {
    return projectVersion.endsWith("-SNAPSHOT")
        ? projectVersion.substring(0, projectVersion.length() - "-SNAPSHOT".length())
        : projectVersion;
  }

  Summary build(Path target) {
    FhirSources reader = new FhirSources(fhirContext, sources);
    List<Resource> terminology = new ArrayList<>(new TerminologyResources(fhirContext).all());
    terminology.addAll(reader.read(FhirSources.TERMINOLOGY));
    List<StructureDefinition> differentials = new ArrayList<>();
    reader.read(FhirSources.EXTENSIONS).forEach(r -> differentials.add(structureDefinition(r)));
    reader.read(FhirSources.PROFILES).forEach(r -> differentials.add(structureDefinition(r)));
    List<SearchParameter> searchParameters = new ArrayList<>();
    reader.read(FhirSources.SEARCH_PARAMETERS).forEach(r -> searchParameters.add(searchParameter(r)));
    List<Resource> examples = reader.read(FhirSources.EXAMPLES);

    differentials.forEach(this::checkStructureDefinition);
    SnapshotGenerator generator = new SnapshotGenerator(fhirContext, terminology);
    List<StructureDefinition> structureDefinitions = generator.generate(differentials);
    searchParameters.forEach(sp -> checkSearchParameter(generator, sp));

    List<Resource> conformance = new ArrayList<>(structureDefinitions);
    conformance.addAll(searchParameters);
    conformance.addAll(terminology);
    checkUniqueCanonicals(conformance);
    checkExampleProfiles(examples, structureDefinitions);
    if (!problems.isEmpty()) {
      throw new PackageBuildException("FHIR package has errors:\n  " + String.join("\n  ", problems));
    }

    NpmPackageWriter writer = new NpmPackageWriter();
    writer.addJson(PACKAGE_FOLDER + "/package.json", packageJson());
    IParser json = fhirContext.newJsonParser().setPrettyPrint(true);
    for (Resource resource : conformance) {
      writer.addResource(PACKAGE_FOLDER, fileName(resource), json.encodeResourceToString(resource), indexEntry(resource));
    }
    for (Resource example : examples) {
      writer.addResource(EXAMPLE_FOLDER, fileName(example), json.encodeResourceToString(example), indexEntry(example));
    }
    writer.write(target);
    // Warnings do not fail the build but must stay visible, or they pile up unread.
    generator.warnings().forEach(w -> System.out.println("[lianyao-profiles] warning: " + w));
    return new Summary(version, structureDefinitions.size(), searchParameters.size(), terminology.size(),
        examples.size(), generator.warnings().size());
  }

  /** What was packaged, for the build log. */
  record Summary(String version, int structureDefinitions, int searchParameters, int terminology,
      int examples, int snapshotWarnings) {
    @Override
    public String toString() {
      return LianyaoPackage.PACKAGE_ID + "#" + version + ": " + structureDefinitions + " StructureDefinitions, "
          + searchParameters + " SearchParameters, " + terminology + " terminology resources, " + examples
          + " examples (" + snapshotWarnings + " snapshot warnings)";
    }
  }

  private StructureDefinition structureDefinition(Resource resource) {
    if (!(resource instanceof StructureDefinition sd)) {
      throw new PackageBuildException("expected a StructureDefinition, got " + resource.fhirType() + "/" + resource.getIdPart());
    }
    // One version for the whole package, from the POM: the JSON files never drift from it.
    sd.setVersion(version);
    return sd;
  }

  private SearchParameter searchParameter(Resource resource) {
    if (!(resource instanceof SearchParameter sp)) {
      throw new PackageBuildException("expected a SearchParameter, got " + resource.fhirType() + "/" + resource.getIdPart());
    }
    sp.setVersion(version);
    return sp;
  }

  private void checkStructureDefinition(StructureDefinition sd) {
    String where = "StructureDefinition/" + sd.getIdPart();
    if (!(LianyaoProfiles.SD_BASE + sd.getIdPart()).equals(sd.getUrl())) {
      problems.add(where + ": url must be " + LianyaoProfiles.SD_BASE + sd.getIdPart());
    }
    // HAPI's package installer skips resources whose status is not active.
    if (sd.getStatus() != Enumerations.PublicationStatus.ACTIVE) {
      problems.add(where + ": status must be active");
    }
    if (!"4.0.1".equals(sd.getFhirVersion() == null ? null : sd.getFhirVersion().toCode())) {
      problems.add(where + ": fhirVersion must be 4.0.1");
    }
    if (!sd.hasTitle() || !sd.hasDescription() || !sd.hasName()) {
      problems.add(where + ": name (English), title and description (Chinese) are required");
    }
    if (sd.hasSnapshot()) {
      problems.add(where + ": sources hold differentials only; the build generates the snapshot");
    }
  }

  private void checkSearchParameter(SnapshotGenerator generator, SearchParameter sp) {
    String where = "SearchParameter/" + sp.getIdPart();
    if (!(LianyaoProfiles.SP_BASE + sp.getIdPart()).equals(sp.getUrl())) {
      problems.add(where + ": url must be " + LianyaoProfiles.SP_BASE + sp.getIdPart());
    }
    if (sp.getStatus() != Enumerations.PublicationStatus.ACTIVE) {
      problems.add(where + ": status must be active");
    }
    if (sp.getBase().size() != 1) {
      problems.add(where + ": exactly one base type (one SearchParameter per resource type)");
      return;
    }
    String base = sp.getBase().get(0).getValue();
    if (!sp.getExpression().startsWith(base + ".")) {
      problems.add(where + ": expression must start with " + base + ".");
    }
    if (sp.getType() == Enumerations.SearchParamType.REFERENCE && sp.getTarget().isEmpty()) {
      problems.add(where + ": a reference parameter needs target types");
    }
    try {
      TypeDetails types = generator.checkFhirPath(base, base, sp.getExpression());
      Set<String> allowed = switch (sp.getType()) {
        case REFERENCE -> Set.of("Reference");
        case TOKEN -> Set.of("Coding", "CodeableConcept", "Identifier", "boolean", "code", "string", "uri");
        case DATE -> Set.of("date", "dateTime", "instant", "Period", "Timing");
        case STRING -> Set.of("string", "HumanName", "Address");
        default -> Set.of();
      };
      for (String type : types.getTypes()) {
        String simple = type.substring(type.lastIndexOf('/') + 1);
        if (!allowed.contains(simple)) {
          problems.add(where + ": expression yields " + simple + ", not usable for a " + sp.getType().toCode()
              + " parameter");
        }
      }
    } catch (RuntimeException e) {
      problems.add(where + ": expression " + sp.getExpression() + ": " + e.getMessage());
    }
  }

  private void checkUniqueCanonicals(List<Resource> conformance) {
    Map<String, String> seen = new HashMap<>();
    for (Resource resource : conformance) {
      String url = primitive(resource, "url");
      if (url != null) {
        String key = resource.fhirType() + " " + url;
        String previous = seen.put(key, resource.getIdPart());
        if (previous != null) {
          problems.add("duplicate " + key + " (ids " + previous + ", " + resource.getIdPart() + ")");
        }
      }
    }
  }

  /** Examples must claim a profile of this package, so that the conformance tests exercise it. */
  private void checkExampleProfiles(List<Resource> examples, List<StructureDefinition> sds) {
    Set<String> urls = new HashSet<>();
    sds.forEach(sd -> urls.add(sd.getUrl()));
    Set<String> ids = new HashSet<>();
    for (Resource example : examples) {
      String where = example.fhirType() + "/" + example.getIdPart();
      if (!ids.add(where)) {
        problems.add("duplicate example " + where);
      }
      List<CanonicalType> profiles = example.getMeta().getProfile();
      if (profiles.isEmpty()) {
        problems.add(where + ": meta.profile must name a Lianyao profile");
      }
      for (CanonicalType profile : profiles) {
        if (!urls.contains(profile.getValue())) {
          problems.add(where + ": unknown profile " + profile.getValue());
        }
      }
    }
  }

  private Map<String, Object> packageJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", LianyaoPackage.PACKAGE_ID);
    json.put("version", version);
    json.put("tools-version", 3);
    json.put("type", "fhir.ig");
    json.put("canonical", LianyaoPackage.CANONICAL);
    json.put("url", LianyaoPackage.CANONICAL);
    json.put("title", "联药医联体药事 FHIR 规范（Lianyao consortium drug FHIR package）");
    json.put("description", "医联体用药目录、处方共享与互认、处方前置审核、药品追溯的 FHIR R4 规范：Profile、扩展、检索参数、术语与示例。");
    json.put("author", "联药 Lianyao");
    json.put("fhirVersions", List.of("4.0.1"));
    // LinkedHashMap throughout: Map.of iterates in a per-JVM random order, which would make the
    // archive differ from build to build.
    Map<String, String> dependencies = new LinkedHashMap<>();
    dependencies.put("hl7.fhir.r4.core", "4.0.1");
    json.put("dependencies", dependencies);
    json.put("jurisdiction", "urn:iso:std:iso:3166#CN");
    Map<String, String> directories = new LinkedHashMap<>();
    directories.put("lib", "package");
    directories.put("example", "example");
    json.put("directories", directories);
    return json;
  }

  private static String fileName(Resource resource) {
    return resource.fhirType() + "-" + resource.getIdPart() + ".json";
  }

  private Map<String, Object> indexEntry(Resource resource) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("resourceType", resource.fhirType());
    entry.put("id", resource.getIdPart());
    putIfPresent(entry, "url", primitive(resource, "url"));
    putIfPresent(entry, "version", primitive(resource, "version"));
    if (resource instanceof StructureDefinition sd) {
      entry.put("kind", sd.getKind().toCode());
      entry.put("type", sd.getType());
      entry.put("derivation", sd.getDerivation().toCode());
    } else if (resource instanceof CodeSystem cs && cs.hasContent()) {
      entry.put("content", cs.getContent().toCode());
    } else if (!resource.getMeta().getProfile().isEmpty()) {
      entry.put("profile", resource.getMeta().getProfile().get(0).getValue());
    }
    return entry;
  }

  /** A top-level primitive such as {@code url}, or null when the type has no such element. */
  private String primitive(Resource resource, String name) {
    if (fhirContext.getResourceDefinition(resource).getChildByName(name) == null) {
      return null;
    }
    FhirTerser terser = fhirContext.newTerser();
    return terser.getSinglePrimitiveValueOrNull(resource, name);
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
