package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in the built package conforms to its profile under the official HL7 validator. */
class ExamplesConformanceTest {

  static Stream<Arguments> examples() {
    return LianyaoPackage.get().examples(Conformance.FHIR).stream()
        .map(r -> Arguments.of(r.fhirType() + "/" + r.getIdElement().getIdPart(),
            Conformance.FHIR.newJsonParser().encodeResourceToString(r)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validatesWithoutErrors(String name, String json) {
    IBaseResource resource = Conformance.FHIR.newJsonParser().parseResource(json);
    // Explicitly against the profile for its type too: meta.profile alone could name another one.
    ValidationOptions options = new ValidationOptions();
    LianyaoPackage.profileUrl(resource.fhirType()).ifPresent(options::addProfile);
    ValidationResult result = Conformance.validator().validateWithResult(json, options);
    List<SingleValidationMessage> errors = Conformance.errors(result);
    assertThat(errors).as(name + Conformance.describe(result.getMessages())).isEmpty();
  }
}
