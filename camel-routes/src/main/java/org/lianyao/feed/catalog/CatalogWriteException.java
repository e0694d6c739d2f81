package org.lianyao.feed.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The FHIR store refused a valid catalog file as a whole (unknown formulary version, a member item
 * outside the consortium version, …). Nothing was written. The problems read like validation
 * problems (row {@link CatalogProblem#FILE} unless a row is known), so callers report them the
 * same way: beside the file in the error folder, or as an OperationOutcome.
 */
public class CatalogWriteException extends RuntimeException {

  private final transient List<CatalogProblem> problems;

  public CatalogWriteException(List<CatalogProblem> problems, Throwable cause) {
    super(message(problems), cause);
    this.problems = List.copyOf(problems);
  }

  public CatalogWriteException(String chineseMessage, String englishDiagnostic) {
    this(List.of(new CatalogProblem(CatalogProblem.FILE, "", "", chineseMessage, englishDiagnostic)), null);
  }

  public List<CatalogProblem> problems() {
    return problems;
  }

  private static String message(List<CatalogProblem> problems) {
    Objects.requireNonNull(problems, "problems");
    return problems.isEmpty() ? "catalog import refused"
        : problems.get(0).englishLocation() + ": " + problems.get(0).englishDiagnostic()
            + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
  }
}
