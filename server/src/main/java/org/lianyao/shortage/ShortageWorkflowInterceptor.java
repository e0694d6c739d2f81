package org.lianyao.shortage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.security.web.OperationOutcomes;
import org.springframework.stereotype.Component;

/**
 * Enforces the shortage-registration workflow ({@link ShortageStatus}) on every SupplyRequest write:
 * a new registration starts as registered (active); an update may only move along registered →
 * ordered → delivered, or to cancelled (or entered-in-error); anything else is answered with 422.
 * The business-status extension is kept in step with the FHIR status.
 */
@Component
public class ShortageWorkflowInterceptor implements GatewayInterceptor {

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -100)
  public void created(IBaseResource resource) {
    if (!(resource instanceof SupplyRequest sr)) {
      return;
    }
    Optional<ShortageStatus> status = ShortageStatus.of(sr);
    if (status.isEmpty() || status.get() != ShortageStatus.REGISTERED) {
      throw refusal("新的缺药登记状态须为「已登记」（SupplyRequest.status = active）",
          "a new shortage registration must be registered (status active, business status registered)");
    }
    status.get().applyTo(sr);
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -100)
  public void updated(IBaseResource previous, IBaseResource resource) {
    if (!(resource instanceof SupplyRequest next) || !(previous instanceof SupplyRequest old)) {
      return;
    }
    Optional<ShortageStatus> to = ShortageStatus.of(next);
    if (to.isEmpty()) {
      throw refusal("缺药登记状态无效：SupplyRequest.status 与业务状态扩展（shortage-status）须一致，且为已登记、已采购、已到货或已取消之一",
          "invalid shortage status: SupplyRequest.status and the shortage-status extension must agree");
    }
    Optional<ShortageStatus> from = ShortageStatus.of(old);
    if (from.isPresent() && !from.get().mayBecome(to.get())) {
      String allowed = from.get().next().stream().map(ShortageStatus::display).collect(Collectors.joining("、"));
      throw refusal("缺药登记不能从「" + from.get().display() + "」改为「" + to.get().display() + "」"
              + (allowed.isEmpty() ? "" : "；允许：" + allowed),
          "a shortage registration cannot go from " + from.get().code() + " to " + to.get().code());
    }
    to.get().applyTo(next);
  }

  private static UnprocessableEntityException refusal(String chinese, String english) {
    return new UnprocessableEntityException(FhirContext.forR4Cached(),
        OperationOutcomes.outcome(IssueType.BUSINESSRULE, chinese, english));
  }
}
