package org.lianyao.security.web;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.security.fhir.Denial;

/** OperationOutcomes for refusals: Chinese text for people, English diagnostics for developers. */
public final class OperationOutcomes {

  private OperationOutcomes() {}

  /** 403: names the missing right. */
  public static OperationOutcome forbidden(FhirContext ctx, Denial denial) {
    return outcome(IssueType.FORBIDDEN,
        "拒绝访问：" + denial.chinese() + (denial.missingRight() == null ? "" : "（缺少权限：" + denial.missingRight() + "）"),
        "Access denied: " + denial.english() + (denial.missingRight() == null ? "" : " (missing right: " + denial.missingRight() + ")"));
  }

  /** 401: missing or unusable token. */
  public static OperationOutcome unauthorized(String chinese, String english) {
    return outcome(IssueType.LOGIN, chinese, english);
  }

  public static OperationOutcome outcome(IssueType type, String chinese, String english) {
    OperationOutcome oo = new OperationOutcome();
    oo.addIssue()
        .setSeverity(IssueSeverity.ERROR)
        .setCode(type)
        .setDetails(new CodeableConcept().setText(chinese))
        .setDiagnostics(english);
    return oo;
  }

  public static String json(FhirContext ctx, OperationOutcome oo) {
    return ctx.newJsonParser().encodeResourceToString(oo);
  }
}
