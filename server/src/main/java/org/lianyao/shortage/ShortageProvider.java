package org.lianyao.shortage;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.fhir.GatewayProvider;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerContext;
import org.lianyao.security.Role;
import org.lianyao.security.web.OperationOutcomes;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Component;

/**
 * Shortage registration operations (缺药登记):
 *
 * <ul>
 *   <li>{@code GET SupplyRequest/$shortage-report?period=2026-01-01/2026-12-31} → Parameters
 *       ({@link ShortageReportService});
 *   <li>{@code POST SupplyRequest/[id]/$shortage-status} with {@code status} = {@code ordered} |
 *       {@code delivered} | {@code cancelled} (| {@code entered-in-error}) → the updated
 *       SupplyRequest. The pharmacy committee (who procures for the consortium) and the
 *       administrator may move any registration; a member HIS or pharmacist only its own. The
 *       workflow ({@link ShortageStatus}) is enforced on every write, by this operation or by a
 *       plain update ({@link ShortageWorkflowInterceptor}).
 * </ul>
 */
@Component
public class ShortageProvider implements GatewayProvider {

  private final ShortageReportService reports;
  private final DaoRegistry daoRegistry;

  public ShortageProvider(ShortageReportService reports, DaoRegistry daoRegistry) {
    this.reports = reports;
    this.daoRegistry = daoRegistry;
  }

  @Operation(name = "$shortage-report", type = SupplyRequest.class, idempotent = true)
  public Parameters shortageReport(@OperationParam(name = "period", min = 1) StringType period) {
    return reports.report(period == null ? null : period.getValue());
  }

  @Operation(name = "$shortage-status", type = SupplyRequest.class)
  public SupplyRequest shortageStatus(@IdParam IdType id, @OperationParam(name = "status", min = 1) CodeType status,
      RequestDetails request) {
    ShortageStatus next = Optional.ofNullable(status).map(CodeType::getValue).flatMap(ShortageStatus::ofCode)
        .orElseThrow(() -> {
          InvalidRequestException e = new InvalidRequestException("status must be ordered, delivered, cancelled or entered-in-error");
          e.setOperationOutcome(OperationOutcomes.outcome(IssueType.INVALID,
              "status 须为 ordered（已采购）、delivered（已到货）、cancelled（已取消）或 entered-in-error",
              "status must be ordered, delivered, cancelled or entered-in-error"));
          return e;
        });
    SupplyRequest sr;
    try {
      sr = daoRegistry.getResourceDao(SupplyRequest.class).read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
      ResourceNotFoundException nf = new ResourceNotFoundException("SupplyRequest/" + id.getIdPart() + " not found");
      nf.setOperationOutcome(OperationOutcomes.outcome(IssueType.NOTFOUND, "未找到缺药登记 SupplyRequest/" + id.getIdPart(),
          "SupplyRequest/" + id.getIdPart() + " not found"));
      throw nf;
    }
    CallerContext.of(request).ifPresent(caller -> requireMayChange(caller, sr));
    next.applyTo(sr);
    return (SupplyRequest) daoRegistry.getResourceDao(SupplyRequest.class).update(sr, new SystemRequestDetails())
        .getResource();
  }

  private void requireMayChange(Caller caller, SupplyRequest sr) {
    if (caller.hasRole(Role.COMMITTEE, Role.ADMIN)) {
      return;
    }
    String requester = sr.getRequester().getReferenceElement().getIdPart();
    String own = caller.institution() == null ? null : organizationId(caller.institution());
    if (own == null || !own.equals(requester)) {
      throw new ForbiddenOperationException("only the registering institution, the committee or admin may change it",
          OperationOutcomes.outcome(IssueType.FORBIDDEN,
              "拒绝访问：只有登记机构、药事委员会或平台管理员可以变更该缺药登记的状态",
              "only the registering institution, the pharmacy committee or the admin may change this registration"));
    }
  }

  private String organizationId(String nhsaCode) {
    SearchParameterMap map = SearchParameterMap.newSynchronous(Organization.SP_IDENTIFIER,
        new TokenParam(IdentifierSystems.NHSA_INSTITUTION_CODE, nhsaCode));
    List<IBaseResource> found = daoRegistry.getResourceDao(Organization.class).search(map, new SystemRequestDetails())
        .getAllResources();
    return found.size() == 1 ? found.get(0).getIdElement().getIdPart() : null;
  }
}
