package org.lianyao.profiles.build;

/** The package cannot be built; the message lists every problem found, so one run shows them all. */
public final class PackageBuildException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PackageBuildException(String message) {
    super(message);
  }

  public PackageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
