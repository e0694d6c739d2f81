package org.lianyao.fhir;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Cache invalidation for FHIR writes: the caches of the gateway's services use it when a resource they read changes. */
public final class AfterCommit {

  private AfterCommit() {}

  /**
   * Runs {@code invalidation} now and, inside a transaction, again after it commits: a lookup between
   * the write and the commit still sees (and may cache) the old version.
   */
  public static void invalidate(Runnable invalidation) {
    invalidation.run();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          invalidation.run();
        }
      });
    }
  }
}
