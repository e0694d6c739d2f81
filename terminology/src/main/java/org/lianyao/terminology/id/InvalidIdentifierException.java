package org.lianyao.terminology.id;

import java.util.Objects;

/** Thrown by the {@code parse} methods; carries the typed problem for the caller's error response. */
public final class InvalidIdentifierException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient IdentifierProblem problem;

  public InvalidIdentifierException(IdentifierProblem problem) {
    super(Objects.requireNonNull(problem, "problem").english());
    this.problem = problem;
  }

  public IdentifierProblem problem() {
    return problem;
  }
}
