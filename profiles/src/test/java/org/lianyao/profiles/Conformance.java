package org.lianyao.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;

/**
 * One FhirContext, one offline chain and one validator for all test classes: each costs seconds and
 * tens of MB, and surefire runs the classes in one JVM.
 */
final class Conformance {

  static final FhirContext FHIR = FhirContext.forR4();

  private Conformance() {}

  private static final class Holder {
    static final ValidationSupportChain CHAIN = LianyaoValidationSupportFactory.newValidationSupportChain(FHIR);
    static final FhirValidator VALIDATOR = LianyaoValidationSupportFactory.newValidator(FHIR, CHAIN);
  }

  static ValidationSupportChain chain() {
    return Holder.CHAIN;
  }

  static FhirValidator validator() {
    return Holder.VALIDATOR;
  }

  static List<SingleValidationMessage> errors(ValidationResult result) {
    return result.getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .toList();
  }

  static String describe(List<SingleValidationMessage> messages) {
    return messages.stream()
        .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }
}
