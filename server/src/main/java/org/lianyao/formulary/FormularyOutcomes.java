package org.lianyao.formulary;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.security.web.OperationOutcomes;

/** OperationOutcomes of the formulary rules: Chinese text for people, English diagnostics for developers. */
public final class FormularyOutcomes {

  private FormularyOutcomes() {}

  public static OperationOutcome outcome(IssueType type, String chinese, String english) {
    return OperationOutcomes.outcome(type, chinese, english);
  }

  /** HTTP 422: the request is well formed but breaks a formulary rule. */
  public static UnprocessableEntityException unprocessable(String chinese, String english) {
    return new UnprocessableEntityException(english, outcome(IssueType.BUSINESSRULE, chinese, english));
  }

  /** A message for exceptions that carry only text: Chinese first, then the English diagnostic. */
  public static String message(String chinese, String english) {
    return chinese + " / " + english;
  }
}
