package org.lianyao.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.lianyao.terminology.IdentifierSystems;

/**
 * The Lianyao FHIR NPM package ({@value #PACKAGE_ID}) built into this jar at
 * {@value #CLASSPATH_LOCATION}: StructureDefinitions with snapshots, SearchParameters, the
 * terminology module's CodeSystems, ValueSets, ConceptMaps and NamingSystems, and examples under
 * {@code package/example}.
 *
 * <p>The server installs it at start with HAPI's package installer, e.g.
 * <pre>{@code
 * LianyaoPackage pkg = LianyaoPackage.get();
 * packageInstaller.install(new PackageInstallationSpec()
 *     .setName(pkg.id()).setVersion(pkg.version())
 *     .setPackageContents(pkg.tgz())
 *     .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
 *     .setFetchDependencies(false)                      // offline: hl7.fhir.r4.core is built into HAPI
 *     .addInstallResourceTypes(pkg.conformanceResourceTypes().toArray(String[]::new)));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #get()} reads the archive once per class loader.
 */
public final class LianyaoPackage {

  /** NPM package name. */
  public static final String PACKAGE_ID = "lianyao.fhir.cn";

  /** Package canonical = Lianyao's FHIR canonical base. */
  public static final String CANONICAL = IdentifierSystems.CANONICAL_BASE;

  /** Classpath location of the archive written by the build. */
  public static final String CLASSPATH_LOCATION = "org/lianyao/profiles/lianyao.fhir.cn.tgz";

  private static final String PACKAGE_FOLDER = "package";
  private static final String EXAMPLE_FOLDER = "example";

  private final byte[] tgz;
  private final String version;
  private final Map<String, List<String>> conformanceFilesByType;
  private final Map<String, List<String>> exampleFilesByType;

  private LianyaoPackage(byte[] tgz) {
    this.tgz = tgz;
    NpmPackage npm = parse(tgz);
    if (!PACKAGE_ID.equals(npm.name())) {
      throw new IllegalStateException("expected package " + PACKAGE_ID + ", found " + npm.name());
    }
    this.version = npm.version();
    this.conformanceFilesByType = filesByType(npm, PACKAGE_FOLDER);
    this.exampleFilesByType = filesByType(npm, EXAMPLE_FOLDER);
  }

  private static final class Holder {
    static final LianyaoPackage INSTANCE = load();
  }

  /** The package bundled in this jar. */
  public static LianyaoPackage get() {
    return Holder.INSTANCE;
  }

  /** Reads a package archive from bytes (tests, or a package shipped some other way). */
  public static LianyaoPackage fromBytes(byte[] tgz) {
    return new LianyaoPackage(Objects.requireNonNull(tgz, "tgz").clone());
  }

  private static LianyaoPackage load() {
    ClassLoader loader = LianyaoPackage.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(CLASSPATH_LOCATION)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + CLASSPATH_LOCATION
            + " (built by the profiles module in process-classes)");
      }
      return new LianyaoPackage(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CLASSPATH_LOCATION, e);
    }
  }

  /** NPM package name, {@value #PACKAGE_ID}. */
  public String id() {
    return PACKAGE_ID;
  }

  /** Package version (the project version without {@code -SNAPSHOT}). */
  public String version() {
    return version;
  }

  /** The archive, for {@code PackageInstallationSpec.setPackageContents}. A copy: callers may keep it. */
  public byte[] tgz() {
    return tgz.clone();
  }

  public InputStream openStream() {
    return new ByteArrayInputStream(tgz);
  }

  /** A freshly parsed HL7 {@link NpmPackage} view of the archive. */
  public NpmPackage toNpmPackage() {
    return parse(tgz);
  }

  /** Profile URL per resource type (Patient → lianyao-patient, InsurancePlan → lianyao-formulary, …). */
  public static Map<String, String> profileUrls() {
    return LianyaoProfiles.BY_RESOURCE_TYPE;
  }

  public static Optional<String> profileUrl(String resourceType) {
    return Optional.ofNullable(LianyaoProfiles.BY_RESOURCE_TYPE.get(resourceType));
  }

  /**
   * Resource types in the package's conformance folder (StructureDefinition, SearchParameter,
   * CodeSystem, ValueSet, ConceptMap, NamingSystem, …): what the server must install. HAPI installs
   * only its default list unless told otherwise, so pass these explicitly.
   */
  public Set<String> conformanceResourceTypes() {
    return conformanceFilesByType.keySet();
  }

  /** Parses every conformance resource (everything under {@code package/} except examples). */
  public List<IBaseResource> conformanceResources(FhirContext fhirContext) {
    return parseAll(fhirContext, PACKAGE_FOLDER, conformanceFilesByType);
  }

  /** Parses every example under {@code package/example}. */
  public List<IBaseResource> examples(FhirContext fhirContext) {
    return parseAll(fhirContext, EXAMPLE_FOLDER, exampleFilesByType);
  }

  private List<IBaseResource> parseAll(FhirContext fhirContext, String folder, Map<String, List<String>> byType) {
    if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException("the Lianyao package is FHIR R4; got a "
          + fhirContext.getVersion().getVersion() + " context");
    }
    NpmPackage npm = parse(tgz);
    IParser parser = fhirContext.newJsonParser();
    List<IBaseResource> resources = new ArrayList<>();
    try {
      for (List<String> files : byType.values()) {
        for (String file : files) {
          resources.add(parser.parseResource(new String(npm.getFolders().get(folder).fetchFile(file),
              StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read package folder " + folder, e);
    }
    return resources;
  }

  private static NpmPackage parse(byte[] tgz) {
    try {
      return NpmPackage.fromPackage(new ByteArrayInputStream(tgz));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read FHIR package archive", e);
    }
  }

  /** Type → file names, from the folder's .index.json; sorted for a stable order. */
  private static Map<String, List<String>> filesByType(NpmPackage npm, String folder) {
    NpmPackage.NpmPackageFolder packageFolder = npm.getFolders().get(folder);
    if (packageFolder == null) {
      return Map.of();
    }
    try {
      Map<String, List<String>> sorted = new TreeMap<>();
      for (Map.Entry<String, List<String>> entry : packageFolder.getTypes().entrySet()) {
        sorted.put(entry.getKey(), List.copyOf(new TreeSet<>(entry.getValue())));
      }
      return Collections.unmodifiableMap(sorted);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot index package folder " + folder, e);
    }
  }
}
