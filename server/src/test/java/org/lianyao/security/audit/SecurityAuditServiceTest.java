package org.lianyao.security.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lianyao.security.SecurityProperties;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The audit writer's own logic — batching, lingering for a batch, a failed batch written event by event, waiting out an
 * unreachable database, a full queue — against a recording AuditEvent store and a transaction
 * manager that can refuse to begin. Storing through HAPI on PostgreSQL is {@code SecurityIT}'s.
 */
class SecurityAuditServiceTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  /** Events the store committed, by their path (entity description). */
  private final List<String> committed = new CopyOnWriteArrayList<>();
  private final List<String> inTransaction = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusedBegins = new AtomicInteger();
  private volatile CountDownLatch blockFirstCreate = new CountDownLatch(0);
  private SecurityAuditService audit;

  @AfterEach
  void stop() {
    if (audit != null) {
      audit.shutdown();
    }
  }

  @Test
  void eventsWaitingTogetherShareATransaction() throws Exception {
    audit = service(10_000, 10);
    // While the writer is held in its first write, 25 more queue up: then 3 batches of at most 10.
    holdWriterInFirstWrite();
    for (int i = 0; i < 25; i++) {
      audit.refused(refusal("/queued-" + i));
    }
    blockFirstCreate.countDown();

    assertThat(audit.flush(10_000)).isTrue();
    assertThat(committed).hasSize(26).contains("GET /first", "GET /queued-0", "GET /queued-24");
    assertThat(audit.writtenCount()).isEqualTo(26);
    assertThat(audit.transactionCount()).isEqualTo(4);
  }

  @Test
  void aFailedBatchIsWrittenEventByEventSoABadEventCostsOnlyItself() throws Exception {
    audit = service(10_000, 50);
    holdWriterInFirstWrite();
    audit.refused(refusal("/good-1"));
    audit.refused(refusal("/bad"));
    audit.refused(refusal("/good-2"));
    blockFirstCreate.countDown();

    assertThat(audit.flush(10_000)).isTrue();
    assertThat(committed).containsExactly("GET /first", "GET /good-1", "GET /good-2");
    assertThat(audit.writtenCount()).isEqualTo(3);
    assertThat(audit.failedCount()).isEqualTo(1);
    assertThat(audit.droppedCount()).isZero();
  }

  @Test
  void theCountersArePublishedAsMeters() throws Exception {
    audit = service(2, 50);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new SecurityAuditMetrics(audit).bindTo(registry);
    holdWriterInFirstWrite();
    audit.refused(refusal("/bad"));
    audit.refused(refusal("/good"));
    audit.refused(refusal("/no-room"));
    assertThat(registry.get("lianyao.security.audit.waiting").gauge().value()).isEqualTo(3);
    blockFirstCreate.countDown();
    assertThat(audit.flush(10_000)).isTrue();

    assertThat(registry.get("lianyao.security.audit.events").tag("outcome", "written").functionCounter().count())
        .isEqualTo(2);
    assertThat(registry.get("lianyao.security.audit.events").tag("outcome", "failed").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("lianyao.security.audit.events").tag("outcome", "dropped").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("lianyao.security.audit.transactions").functionCounter().count())
        .isEqualTo(audit.transactionCount()).isEqualTo(2);
    assertThat(registry.get("lianyao.security.audit.waiting").gauge().value()).isZero();
  }

  @Test
  void whileTheDatabaseIsUnreachableTheWriterWaitsInsteadOfDropping() {
    audit = service(10_000, 50);
    refusedBegins.set(2); // two failed attempts: 0.5 s, then 1 s of pause
    audit.refused(refusal("/during-outage"));

    assertThat(audit.flush(10_000)).isTrue();
    assertThat(committed).containsExactly("GET /during-outage");
    assertThat(refusedBegins.get()).isZero();
  }

  @Test
  void aTrickleOfEventsWithinTheLingerTimeSharesATransaction() throws Exception {
    audit = service(10_000, 50, Duration.ofSeconds(2));
    // 50 ms apart: a writer that did not linger would have written each on its own.
    for (int i = 0; i < 5; i++) {
      audit.refused(refusal("/trickle-" + i));
      Thread.sleep(50);
    }
    assertThat(committed).as("still gathering").isEmpty();

    waitUntil(() -> committed.size() == 5);
    assertThat(audit.transactionCount()).isEqualTo(1);
  }

  @Test
  void aFullBatchOrAFlushEndsTheLingering() throws Exception {
    audit = service(10_000, 3, Duration.ofHours(1));
    for (int i = 0; i < 4; i++) {
      audit.refused(refusal("/e-" + i));
    }
    waitUntil(() -> committed.size() == 3);
    assertThat(committed).containsExactly("GET /e-0", "GET /e-1", "GET /e-2");

    assertThat(audit.flush(10_000)).isTrue();
    assertThat(committed).hasSize(4).endsWith("GET /e-3");
    assertThat(audit.transactionCount()).isEqualTo(2);
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlockingTheRequest() throws Exception {
    audit = service(2, 50);
    holdWriterInFirstWrite();
    for (int i = 0; i < 5; i++) {
      audit.refused(refusal("/more-" + i));
    }
    assertThat(audit.droppedCount()).isEqualTo(3);
    blockFirstCreate.countDown();

    assertThat(audit.flush(10_000)).isTrue();
    assertThat(committed).containsExactly("GET /first", "GET /more-0", "GET /more-1");
  }

  /** Records "/first" and returns once the writer is inside its create, held until the latch opens. */
  private void holdWriterInFirstWrite() throws InterruptedException {
    blockFirstCreate = new CountDownLatch(1);
    audit.refused(refusal("/first"));
    waitUntil(() -> inTransaction.size() == 1);
  }

  /** A writer that does not linger: batches are what waited when it started a write. */
  private SecurityAuditService service(int capacity, int maxBatch) {
    return service(capacity, maxBatch, Duration.ZERO);
  }

  private SecurityAuditService service(int capacity, int maxBatch, Duration linger) {
    return new SecurityAuditService(registry(), null, new FlakyTransactionManager(),
        new SecurityProperties.Audit(capacity, maxBatch, linger));
  }

  private static SecurityAuditService.Refusal refusal(String path) {
    return new SecurityAuditService.Refusal(
        new SecurityAuditService.Agent("H50011200004", "H50011200004", "his", true, "127.0.0.1"),
        "GET", path, "read", false, "拒绝", "refused", null, null);
  }

  /** An AuditEvent store that records what a transaction wrote, and refuses an event on "/bad". */
  private DaoRegistry registry() {
    IFhirResourceDao<?> dao = (IFhirResourceDao<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {IFhirResourceDao.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getResourceType" -> AuditEvent.class;
          case "create" -> {
            String path = ((AuditEvent) args[0]).getEntityFirstRep().getDescription();
            inTransaction.add(path);
            blockFirstCreate.await(10, TimeUnit.SECONDS);
            if (path.endsWith("/bad")) {
              throw new IllegalArgumentException("refused by the store");
            }
            yield null;
          }
          case "toString" -> "recording AuditEvent DAO";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    DaoRegistry registry = new DaoRegistry(CTX);
    registry.setResourceDaos(List.of(dao));
    return registry;
  }

  /** Commits move what the transaction wrote to {@link #committed}; begins fail while asked to. */
  private class FlakyTransactionManager extends AbstractPlatformTransactionManager {

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
      if (refusedBegins.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new CannotCreateTransactionException("database unreachable (test)");
      }
      inTransaction.clear();
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
      committed.addAll(inTransaction);
      inTransaction.clear();
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
      inTransaction.clear();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
