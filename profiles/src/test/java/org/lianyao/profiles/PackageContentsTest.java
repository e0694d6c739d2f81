package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.json.model.JsonObject;
import org.hl7.fhir.utilities.json.parser.JsonParser;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;
import org.lianyao.profiles.build.PackageBuilder;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.TerminologyResources;

/** The built archive is a well-formed FHIR NPM package that HAPI can load, and holds everything it should. */
class PackageContentsTest {

  private static final LianyaoPackage PACKAGE = LianyaoPackage.get();

  @Test
  void hapiLoadsTheArchiveAndItsManifest() throws IOException {
    NpmPackage npm = NpmPackage.fromPackage(PACKAGE.openStream());
    assertThat(npm.name()).isEqualTo("lianyao.fhir.cn");
    String projectVersion = System.getProperty("lianyao.project.version");
    assertThat(projectVersion).as("surefire passes the project version").isNotBlank();
    assertThat(npm.version()).isEqualTo(PackageBuilder.packageVersion(projectVersion)).doesNotContain("SNAPSHOT");
    assertThat(PACKAGE.version()).isEqualTo(npm.version());
    assertThat(npm.fhirVersion()).isEqualTo("4.0.1");
    assertThat(npm.canonical()).isEqualTo("http://lianyao.org/fhir");
    assertThat(npm.dependencies()).containsExactly("hl7.fhir.r4.core#4.0.1");
    JsonObject manifest = npm.getNpm();
    assertThat(manifest.getJsonArray("fhirVersions").asStrings()).containsExactly("4.0.1");
  }

  @Test
  void indexListsEveryFileOfEachFolder() throws IOException {
    NpmPackage npm = PACKAGE.toNpmPackage();
    for (String folder : List.of("package", "example")) {
      NpmPackage.NpmPackageFolder packageFolder = npm.getFolders().get(folder);
      byte[] indexBytes = packageFolder.fetchFile(".index.json");
      assertThat(indexBytes).as(folder + "/.index.json").isNotNull();
      JsonObject index = JsonParser.parseObject(new String(indexBytes, StandardCharsets.UTF_8));
      Set<String> indexed = index.getJsonArray("files").asJsonObjects().stream()
          .map(f -> f.asString("filename")).collect(Collectors.toSet());
      Set<String> files = packageFolder.listFiles().stream()
          .filter(f -> f.endsWith(".json") && !f.equals("package.json") && !f.startsWith("."))
          .collect(Collectors.toSet());
      assertThat(indexed).as(folder).isEqualTo(files);
    }
  }

  @Test
  void everyStructureDefinitionHasASnapshot() {
    List<StructureDefinition> sds = resources(StructureDefinition.class);
    assertThat(sds).hasSizeGreaterThanOrEqualTo(28);
    for (StructureDefinition sd : sds) {
      assertThat(sd.getSnapshot().getElement()).as(sd.getUrl()).isNotEmpty();
      assertThat(sd.getDifferential().getElement()).as(sd.getUrl()).isNotEmpty();
      assertThat(sd.getStatus()).as(sd.getUrl()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
      assertThat(sd.getVersion()).as(sd.getUrl()).isEqualTo(PACKAGE.version());
      assertThat(sd.getUrl()).isEqualTo(LianyaoProfiles.SD_BASE + sd.getIdPart());
      // Snapshot root carries the type; every element has an id (HAPI's validator relies on both).
      assertThat(sd.getSnapshot().getElementFirstRep().getPath()).isEqualTo(sd.getType());
      assertThat(sd.getSnapshot().getElement()).allSatisfy(e -> assertThat(e.getId()).isNotBlank());
    }
  }

  @Test
  void profilePerResourceTypeIsInThePackage() {
    Map<String, StructureDefinition> byUrl = new HashMap<>();
    resources(StructureDefinition.class).forEach(sd -> byUrl.put(sd.getUrl(), sd));
    assertThat(LianyaoPackage.profileUrls()).hasSize(9);
    LianyaoPackage.profileUrls().forEach((type, url) -> {
      assertThat(byUrl).as(url).containsKey(url);
      assertThat(byUrl.get(url).getType()).isEqualTo(type);
      assertThat(byUrl.get(url).getDerivation()).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
      assertThat(byUrl.get(url).getTitle()).as("Chinese title").matches(".*\\p{IsHan}.*");
    });
  }

  /** conventions.md lists the extensions; the terminology module holds their URLs as constants. */
  @Test
  void everyConventionExtensionIsDefined() throws IllegalAccessException {
    Set<String> sdUrls = resources(StructureDefinition.class).stream()
        .filter(sd -> "Extension".equals(sd.getType())).map(StructureDefinition::getUrl).collect(Collectors.toSet());
    List<String> conventionUrls = new ArrayList<>();
    for (Field field : Extensions.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        String value = (String) field.get(null);
        if (value.startsWith(LianyaoProfiles.SD_BASE)) {
          conventionUrls.add(value);
        }
      }
    }
    assertThat(conventionUrls).hasSizeGreaterThanOrEqualTo(17);
    assertThat(sdUrls).containsAll(conventionUrls)
        .contains(LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION, LianyaoProfiles.EXT_PRESCRIPTION_REVIEW);
  }

  @Test
  void everyTerminologyResourceIsInThePackage() {
    Set<String> packaged = new HashSet<>();
    for (IBaseResource resource : PACKAGE.conformanceResources(Conformance.FHIR)) {
      packaged.add(key((Resource) resource));
    }
    List<Resource> terminology = new TerminologyResources(Conformance.FHIR).all();
    assertThat(terminology).isNotEmpty();
    for (Resource resource : terminology) {
      assertThat(packaged).contains(key(resource));
    }
    assertThat(PACKAGE.conformanceResourceTypes()).contains("StructureDefinition", "SearchParameter",
        "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem");
  }

  /** HAPI's package installer silently skips any conformance resource that is not active. */
  @Test
  void everyConformanceResourceIsActive() {
    for (IBaseResource resource : PACKAGE.conformanceResources(Conformance.FHIR)) {
      String status = Conformance.FHIR.newTerser().getSinglePrimitiveValueOrNull(resource, "status");
      assertThat(status).as(resource.getIdElement().getValue()).isEqualTo("active");
    }
  }

  @Test
  void searchParametersAreActiveAndOnePerBase() {
    List<SearchParameter> sps = resources(SearchParameter.class);
    assertThat(sps).extracting(SearchParameter::getCode).contains("institution", "formulary", "parent-formulary",
        "chronic-disease-group", "vbp", "traceability-code");
    Set<String> baseAndCode = new HashSet<>();
    for (SearchParameter sp : sps) {
      assertThat(sp.getStatus()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
      assertThat(sp.getBase()).hasSize(1);
      assertThat(baseAndCode.add(sp.getBase().get(0).getValue() + "?" + sp.getCode())).as("unique " + sp.getUrl()).isTrue();
      assertThat(sp.getUrl()).isEqualTo(LianyaoProfiles.SP_BASE + sp.getIdPart());
    }
    assertThat(baseAndCode).contains("MedicationRequest?institution", "MedicationDispense?institution",
        "Basic?formulary", "InsurancePlan?parent-formulary");
  }

  @Test
  void atLeastTwoExamplesPerProfile() {
    Map<String, Integer> count = new HashMap<>();
    for (IBaseResource example : PACKAGE.examples(Conformance.FHIR)) {
      example.getMeta().getProfile().forEach(p -> count.merge(p.getValue(), 1, Integer::sum));
    }
    LianyaoPackage.profileUrls().values().forEach(url -> assertThat(count.getOrDefault(url, 0)).as(url).isGreaterThanOrEqualTo(2));
  }

  @Test
  void archiveIsOnTheClasspathAndCopiesAreIndependent() {
    byte[] first = PACKAGE.tgz();
    first[0] = 0;
    assertThat(PACKAGE.tgz()[0]).isNotEqualTo((byte) 0);
    assertThat(LianyaoPackage.fromBytes(PACKAGE.tgz()).version()).isEqualTo(PACKAGE.version());
  }

  private static String key(Resource resource) {
    if (resource instanceof NamingSystem ns) {
      return "NamingSystem " + ns.getUniqueIdFirstRep().getValue();
    }
    return resource.fhirType() + " " + Conformance.FHIR.newTerser().getSinglePrimitiveValueOrNull(resource, "url");
  }

  private static <T extends IBaseResource> List<T> resources(Class<T> type) {
    return PACKAGE.conformanceResources(Conformance.FHIR).stream().filter(type::isInstance).map(type::cast).toList();
  }
}
