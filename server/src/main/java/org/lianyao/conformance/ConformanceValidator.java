package org.lianyao.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.profiles.LianyaoValidationSupportFactory;
import org.springframework.stereotype.Service;

/**
 * Validates resources against the Lianyao profiles with the official validator engine
 * (FhirInstanceValidator) on an offline, in-memory validation chain built from the Lianyao
 * package, plus Lianyao's identifier check-digit module. In memory so that enforcing profiles on
 * every write costs no database round trips.
 */
@Service
public class ConformanceValidator {

  private final FhirValidator validator;
  private final ValidationMessagesZh chinese = new ValidationMessagesZh();

  public ConformanceValidator(FhirContext fhirContext) {
    this.validator = LianyaoValidationSupportFactory.newValidator(fhirContext);
  }

  /** The Lianyao profile of a resource type, if the type is profiled. */
  public Optional<String> profileFor(String resourceType) {
    return LianyaoPackage.profileUrl(resourceType);
  }

  /**
   * Declares the type's Lianyao profile in {@code meta.profile} when the client did not, so that
   * every profiled resource is validated against (and stored with) its profile.
   */
  public void declareProfile(IBaseResource resource) {
    String type = resource.fhirType();
    profileFor(type).ifPresent(url -> {
      List<CanonicalType> declared = ((Resource) resource).getMeta().getProfile();
      if (declared.stream().noneMatch(p -> url.equals(p.getValue()))) {
        ((Resource) resource).getMeta().addProfile(url);
      }
    });
  }

  public ValidationResult validate(IBaseResource resource) {
    return validator.validateWithResult(resource);
  }

  /**
   * For {@code $validate}: the same verdict, each message worded {@code 中文 / English} because
   * HAPI renders the operation's OperationOutcome from the message texts itself.
   */
  public ValidationResult validateForOperation(IBaseResource resource) {
    ValidationResult result = validate(resource);
    List<SingleValidationMessage> worded = new java.util.ArrayList<>();
    for (SingleValidationMessage m : result.getMessages()) {
      String[] texts = chinese.texts(m);
      SingleValidationMessage copy = new SingleValidationMessage();
      copy.setSeverity(m.getSeverity());
      copy.setLocationString(m.getLocationString());
      copy.setLocationLine(m.getLocationLine());
      copy.setLocationCol(m.getLocationCol());
      copy.setMessageId(m.getMessageId());
      copy.setMessage(texts[0] + " / " + texts[1]);
      worded.add(copy);
    }
    return new ValidationResult(result.getContext(), worded);
  }

  public static boolean hasErrors(ValidationResult result) {
    return result.getMessages().stream().anyMatch(ConformanceValidator::isError);
  }

  private static boolean isError(SingleValidationMessage m) {
    return m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL;
  }

  /**
   * An OperationOutcome with one issue per message: Chinese text first (details.text), the
   * validator's English message as diagnostics, and the element path as expression.
   */
  public OperationOutcome toOperationOutcome(ValidationResult result, boolean errorsOnly) {
    OperationOutcome outcome = new OperationOutcome();
    for (SingleValidationMessage m : result.getMessages()) {
      if (errorsOnly && !isError(m)) {
        continue;
      }
      String[] texts = chinese.texts(m);
      OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
          .setSeverity(severity(m.getSeverity()))
          .setCode(OperationOutcome.IssueType.PROCESSING)
          .setDetails(new CodeableConcept().setText(texts[0]))
          .setDiagnostics(texts[1]);
      if (m.getLocationString() != null) {
        issue.addExpression(m.getLocationString());
      }
    }
    return outcome;
  }

  private static OperationOutcome.IssueSeverity severity(ResultSeverityEnum s) {
    return switch (s) {
      case FATAL -> OperationOutcome.IssueSeverity.FATAL;
      case ERROR -> OperationOutcome.IssueSeverity.ERROR;
      case WARNING -> OperationOutcome.IssueSeverity.WARNING;
      default -> OperationOutcome.IssueSeverity.INFORMATION;
    };
  }
}
