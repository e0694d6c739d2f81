package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each invalid fixture under {@code src/test/resources/invalid} fails validation with the message
 * listed in {@code expected.properties} (severity, location, text).
 */
class InvalidFixturesTest {

  private static final Path FOLDER = folder();

  private static Path folder() {
    try {
      return Path.of(Objects.requireNonNull(InvalidFixturesTest.class.getResource("/invalid/expected.properties")).toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Properties expectations() throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(FOLDER.resolve("expected.properties"), StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  private static Set<String> fixtureFiles() throws IOException {
    try (Stream<Path> files = Files.list(FOLDER)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void everyFixtureHasAnExpectationAndViceVersa() throws IOException {
    assertThat(expectations().stringPropertyNames()).containsExactlyInAnyOrderElementsOf(fixtureFiles());
  }

  static Stream<Arguments> fixtures() throws IOException {
    Properties expectations = expectations();
    return fixtureFiles().stream().filter(expectations::containsKey).map(file -> {
      String[] parts = expectations.getProperty(file).split("\\|", 3);
      return Arguments.of(file, ResultSeverityEnum.valueOf(parts[0].strip()), parts[1].strip(), parts[2].strip());
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void failsWithTheExpectedMessage(String file, ResultSeverityEnum severity, String location, String text)
      throws IOException {
    String json = Files.readString(FOLDER.resolve(file), StandardCharsets.UTF_8);
    ValidationResult result = Conformance.validator().validateWithResult(json);
    List<SingleValidationMessage> messages = result.getMessages();
    assertThat(messages)
        .as(file + Conformance.describe(messages))
        .anySatisfy(m -> {
          assertThat(m.getSeverity()).isEqualTo(severity);
          assertThat(m.getLocationString()).isEqualTo(location);
          assertThat(m.getMessage()).contains(text);
        });
    if (severity == ResultSeverityEnum.ERROR) {
      assertThat(result.isSuccessful()).isFalse();
    } else {
      // A warning-only fixture must not fail for some other, unintended reason.
      assertThat(Conformance.errors(result)).as(file + Conformance.describe(messages)).isEmpty();
    }
  }
}
