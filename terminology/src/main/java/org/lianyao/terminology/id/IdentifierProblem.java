package org.lianyao.terminology.id;

/**
 * Why an identifier value was rejected. Implemented by each validator's {@code Problem} enum, so
 * the server can turn any of them into an OperationOutcome issue (Chinese text, English
 * diagnostic) and an HL7 ERR segment without knowing which validator ran.
 */
public interface IdentifierProblem {

  /** Stable machine-readable code, e.g. {@code uscc.check-char}; never shown to users. */
  String code();

  /** Chinese message for users (OperationOutcome.issue.details.text, ACK ERR-8). */
  String chinese();

  /** English diagnostic for logs (OperationOutcome.issue.diagnostics). */
  String english();

  /** Both messages in the gateway's usual "中文 (English)" form. */
  default String message() {
    return chinese() + " (" + english() + ")";
  }

  /** Builds a code such as {@code uscc.check-char} from an enum constant name. */
  static String code(String prefix, Enum<?> problem) {
    return prefix + "." + problem.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
