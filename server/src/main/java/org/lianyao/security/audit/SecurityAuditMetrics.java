package org.lianyao.security.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The audit writer's counters as Micrometer meters, so that an operator's monitoring sees audit
 * events being lost (the queue full under a load the writer cannot keep up with) rather than
 * finding out from the log: {@code lianyao.security.audit.events{outcome=written|dropped|failed}},
 * {@code lianyao.security.audit.transactions} and the gauge {@code lianyao.security.audit.waiting}.
 */
public class SecurityAuditMetrics implements MeterBinder {

  private final SecurityAuditService audit;

  public SecurityAuditMetrics(SecurityAuditService audit) {
    this.audit = audit;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("lianyao.security.audit.events", audit, SecurityAuditService::writtenCount)
        .tag("outcome", "written")
        .description("Security audit events written to the FHIR store")
        .register(registry);
    FunctionCounter.builder("lianyao.security.audit.events", audit, SecurityAuditService::droppedCount)
        .tag("outcome", "dropped")
        .description("Security audit events lost because the queue was full")
        .register(registry);
    FunctionCounter.builder("lianyao.security.audit.events", audit, SecurityAuditService::failedCount)
        .tag("outcome", "failed")
        .description("Security audit events lost because their own write failed")
        .register(registry);
    FunctionCounter.builder("lianyao.security.audit.transactions", audit, SecurityAuditService::transactionCount)
        .description("Transactions that wrote security audit events (fewer than the events when batches form)")
        .register(registry);
    Gauge.builder("lianyao.security.audit.waiting", audit, SecurityAuditService::waitingCount)
        .description("Security audit events accepted and not yet written")
        .register(registry);
  }
}
