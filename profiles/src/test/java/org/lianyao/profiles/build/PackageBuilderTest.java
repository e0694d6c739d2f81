package org.lianyao.profiles.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lianyao.profiles.LianyaoPackage;

/** The build step itself: reproducible output, and a failed build for each kind of broken source. */
class PackageBuilderTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Path SOURCES = Path.of("src/main/fhir");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  @Test
  void versionDropsSnapshot() {
    assertThat(PackageBuilder.packageVersion("0.1.0-SNAPSHOT")).isEqualTo("0.1.0");
    assertThat(PackageBuilder.packageVersion("1.2.3")).isEqualTo("1.2.3");
  }

  /** Same sources, same bytes — and the archive on the classpath is the one the sources give. */
  @Test
  void buildIsReproducibleAndMatchesTheClasspathArchive() throws IOException {
    String version = System.getProperty("lianyao.project.version");
    Path first = temp.resolve("a.tgz");
    Path second = temp.resolve("b.tgz");
    new PackageBuilder(FHIR, SOURCES, version).build(first);
    new PackageBuilder(FHIR, SOURCES, version).build(second);
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    assertThat(Files.readAllBytes(first)).as("target/classes archive is stale").isEqualTo(LianyaoPackage.get().tgz());
  }

  @Test
  void unknownElementInADifferentialFailsTheBuild() throws IOException {
    Path sources = copyWith("profiles/StructureDefinition-lianyao-patient.json", sd -> {
      ArrayNode elements = (ArrayNode) sd.path("differential").path("element");
      elements.addObject().put("id", "Patient.nickname").put("path", "Patient.nickname").put("min", 1);
    });
    assertThatThrownBy(() -> build(sources))
        .isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("lianyao-patient")
        .hasMessageContaining("Patient.nickname");
  }

  @Test
  void misspeltElementInAnInvariantFailsTheBuild() throws IOException {
    Path sources = copyWith("profiles/StructureDefinition-lianyao-organization.json", sd -> {
      ObjectNode root = (ObjectNode) sd.path("differential").path("element").get(0);
      ((ObjectNode) root.path("constraint").get(0)).put("expression", "identifer.exists()");
    });
    assertThatThrownBy(() -> build(sources))
        .isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("lianyao-org-1")
        .hasMessageContaining("identifer");
  }

  @Test
  void searchParameterOfTheWrongTypeFailsTheBuild() throws IOException {
    Path sources = copyWith("search-parameters/SearchParameter-lianyao-formulary-item-vbp.json",
        sp -> ((ObjectNode) sp).put("type", "reference").putArray("target").add("InsurancePlan"));
    assertThatThrownBy(() -> build(sources))
        .isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("SearchParameter/lianyao-formulary-item-vbp")
        .hasMessageContaining("boolean");
  }

  @Test
  void draftStatusFailsTheBuild() throws IOException {
    // HAPI's installer silently skips non-active resources; the build must not let one through.
    Path sources = copyWith("extensions/StructureDefinition-vbp.json", sd -> ((ObjectNode) sd).put("status", "draft"));
    assertThatThrownBy(() -> build(sources)).isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("StructureDefinition/vbp: status must be active");
  }

  @Test
  void exampleWithAnUnknownProfileFailsTheBuild() throws IOException {
    Path sources = copyWith("examples/Patient-wang-fang.json", p -> ((ArrayNode) p.path("meta").path("profile"))
        .set(0, JSON.getNodeFactory().textNode("http://lianyao.org/fhir/StructureDefinition/lianyao-patient-typo")));
    assertThatThrownBy(() -> build(sources)).isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("Patient/wang-fang: unknown profile");
  }

  @Test
  void misspeltJsonElementFailsTheBuild() throws IOException {
    Path sources = copyWith("examples/Patient-wang-fang.json", p -> ((ObjectNode) p).put("birthdate", "1961-07-25"));
    assertThatThrownBy(() -> build(sources)).isInstanceOf(PackageBuildException.class)
        .hasMessageContaining("Patient-wang-fang.json");
  }

  private void build(Path sources) {
    new PackageBuilder(FHIR, sources, "0.0.1").build(temp.resolve("out.tgz"));
  }

  private Path copyWith(String file, Consumer<JsonNode> change) throws IOException {
    Path copy = temp.resolve("sources");
    try (Stream<Path> paths = Files.walk(SOURCES)) {
      for (Path source : paths.toList()) {
        Path target = copy.resolve(SOURCES.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Path target = copy.resolve(file);
    JsonNode json = JSON.readTree(target.toFile());
    change.accept(json);
    JSON.writeValue(target.toFile(), json);
    return copy;
  }
}
