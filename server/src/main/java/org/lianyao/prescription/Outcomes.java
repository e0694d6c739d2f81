package org.lianyao.prescription;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.terminology.IdentifierSystems;

/**
 * OperationOutcomes of the prescription services: Chinese text in {@code details.text}, the English
 * diagnostic in {@code diagnostics}, the rule's code in {@code details.coding} (system
 * {@link #RULE_SYSTEM}) so that clients can branch on it.
 */
public final class Outcomes {

  /** Codes of the prescription rules ({@link RuleViolation#code()}). */
  public static final String RULE_SYSTEM = IdentifierSystems.CANONICAL_BASE + "/CodeSystem/prescription-rule";

  private Outcomes() {}

  static FhirContext ctx() {
    return FhirContext.forR4Cached();
  }

  /** 422: every violated rule as one issue. */
  public static OperationOutcome unprocessable(List<RuleViolation> violations) {
    OperationOutcome oo = new OperationOutcome();
    for (RuleViolation v : violations) {
      oo.addIssue(issue(IssueSeverity.ERROR, IssueType.BUSINESSRULE, v));
    }
    return oo;
  }

  public static OperationOutcome single(IssueSeverity severity, IssueType type, RuleViolation violation) {
    OperationOutcome oo = new OperationOutcome();
    oo.addIssue(issue(severity, type, violation));
    return oo;
  }

  public static OperationOutcome.OperationOutcomeIssueComponent issue(IssueSeverity severity, IssueType type,
      RuleViolation v) {
    return new OperationOutcome.OperationOutcomeIssueComponent()
        .setSeverity(severity)
        .setCode(type)
        .setDetails(new CodeableConcept(new Coding(RULE_SYSTEM, v.code(), null)).setText(v.chinese()))
        .setDiagnostics(v.english());
  }

  public static ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException unprocessableException(
      RuleViolation... violations) {
    return new ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException(ctx(),
        unprocessable(List.of(violations)));
  }

  public static ca.uhn.fhir.rest.server.exceptions.InvalidRequestException invalid(String code, String chinese,
      String english) {
    var e = new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(english);
    e.setOperationOutcome(single(IssueSeverity.ERROR, IssueType.INVALID, new RuleViolation(code, chinese, english)));
    return e;
  }

  public static ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException notFound(String code, String chinese,
      String english) {
    var e = new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(english);
    e.setOperationOutcome(single(IssueSeverity.ERROR, IssueType.NOTFOUND, new RuleViolation(code, chinese, english)));
    return e;
  }

  public static ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException forbidden(String code, String chinese,
      String english) {
    return new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException(english,
        single(IssueSeverity.ERROR, IssueType.FORBIDDEN, new RuleViolation(code, "拒绝访问：" + chinese, english)));
  }
}
