package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.junit.jupiter.api.Test;

/**
 * Lianyao's validator ({@link LianyaoValidationSupportFactory#newInstanceValidator}: reused engines,
 * remembered lookups) reports exactly what HAPI's stock {@link FhirInstanceValidator} reports, on
 * the same chain and settings, resource after resource through the same engines (valid examples and
 * invalid fixtures interleaved, more than one engine lifetime), and its worker context remembers
 * lookups.
 */
class ReusingInstanceValidatorTest {

  private static FhirValidator validatorWith(FhirInstanceValidator module) {
    FhirValidator validator = Conformance.FHIR.newValidator();
    validator.registerValidatorModule(module);
    return validator;
  }

  private static List<String> messages(FhirValidator validator, Object input) {
    var result = input instanceof String json ? validator.validateWithResult(json)
        : validator.validateWithResult((IBaseResource) input);
    return result.getMessages().stream().map(ReusingInstanceValidatorTest::describe).toList();
  }

  private static String describe(SingleValidationMessage m) {
    return m.getSeverity() + " " + m.getLocationString() + " " + m.getMessageId() + ": " + m.getMessage();
  }

  private static List<Object> inputs() throws IOException, URISyntaxException {
    List<Object> inputs = new ArrayList<>(LianyaoPackage.get().examples(Conformance.FHIR));
    Path invalid = Path.of(Objects.requireNonNull(
        ReusingInstanceValidatorTest.class.getResource("/invalid/expected.properties")).toURI()).getParent();
    try (Stream<Path> files = Files.list(invalid)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        inputs.add(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    MedicationRequest unknownProfile = new MedicationRequest();
    unknownProfile.getMeta().addProfile("http://lianyao.org/fhir/StructureDefinition/no-such-profile");
    inputs.add(unknownProfile);
    return inputs;
  }

  @Test
  void reportsWhatTheStockValidatorReports() throws Exception {
    FhirValidator stock = validatorWith(LianyaoValidationSupportFactory.newStockInstanceValidator(Conformance.chain()));
    FhirValidator reusing = validatorWith(LianyaoValidationSupportFactory.newInstanceValidator(Conformance.chain()));
    List<Object> inputs = inputs();
    assertThat(inputs.size()).isGreaterThan(ReusingInstanceValidator.USES_PER_ENGINE);
    int withErrors = 0;
    for (int round = 0; round < 2; round++) {
      for (Object input : inputs) {
        List<String> expected = messages(stock, input);
        assertThat(messages(reusing, input)).as(String.valueOf(input)).containsExactlyElementsOf(expected);
        if (expected.stream().anyMatch(m -> m.startsWith("ERROR") || m.startsWith("FATAL"))) {
          withErrors++;
        }
      }
    }
    // The comparison covered failing resources, not only clean ones (the identifier module, not
    // compared here, catches the check-digit fixtures).
    assertThat(withErrors).isGreaterThanOrEqualTo(2 * 25);
  }

  @Test
  void workerContextRemembersLookupsAndForgetsThemOnRequest() {
    FixedChainWorkerContext context = new FixedChainWorkerContext(Conformance.chain());
    String profile = LianyaoPackage.profileUrl("MedicationRequest").orElseThrow();
    var first = context.fetchResource(StructureDefinition.class, profile);
    assertThat(first).isNotNull();
    assertThat(first.getUrl()).isEqualTo(profile);
    assertThat(context.fetchResource(StructureDefinition.class, profile)).isSameAs(first);
    assertThat(context.fetchResource(StructureDefinition.class, "http://example.org/nothing"))
        .isNull();
    assertThat(context.rememberedLookups()).isEqualTo(2);
    // Missing URLs come from the content: only so many are remembered.
    for (int i = 0; i < FixedChainWorkerContext.MAX_REMEMBERED_MISSES + 100; i++) {
      assertThat(context.fetchResource(StructureDefinition.class, "http://example.org/missing-" + i)).isNull();
    }
    assertThat(context.rememberedLookups()).isEqualTo(1 + FixedChainWorkerContext.MAX_REMEMBERED_MISSES);
    assertThat(context.fetchResource(StructureDefinition.class, profile)).isSameAs(first);
    context.invalidateCaches();
    assertThat(context.rememberedLookups()).isZero();
  }
}
