package org.lianyao.prescription;

import ca.uhn.fhir.jpa.api.dao.IDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.prescription.consent.SharingConsents;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.security.Caller;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.security.fhir.ResourceOwnership;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The prescription an operation ($recognize, $extend) works on, read for a caller: the caller must
 * act for a registered member; another institution's prescription must pass the sharing rules
 * (403 otherwise, e.g. the patient refused sharing) and its use is written to the audit trail like
 * any cross-institution read.
 */
@Component
public class OriginalPrescriptions {

  /** The prescription and what the caller is to it. */
  public record Original(MedicationRequest prescription, boolean foreign, ResourceOwnership.Institution own) {}

  private final SystemStore store;
  private final Institutions institutions;
  private final SharingConsents consents;
  private final SecurityAuditService audit;

  public OriginalPrescriptions(SystemStore store, Institutions institutions, SharingConsents consents,
      ObjectProvider<SecurityAuditService> audit) {
    this.store = store;
    this.institutions = institutions;
    this.consents = consents;
    this.audit = audit.getIfAvailable();
  }

  public Original readForCaller(Caller caller, RequestDetails request, String prescriptionId) {
    if (caller == null || caller.institution() == null) {
      throw Outcomes.forbidden("caller-no-institution", "只有医联体成员机构可以执行此操作",
          "only callers acting for a member institution may do this");
    }
    ResourceOwnership.Institution own = institutions.own(caller).orElseThrow(() -> Outcomes.forbidden(
        "institution-not-registered", "本机构（" + caller.institution() + "）未在医联体机构目录中登记",
        "institution " + caller.institution() + " is not a registered member"));
    String id = new IdType(prescriptionId).getIdPart();
    MedicationRequest mr = store.read(MedicationRequest.class, id).orElseThrow(() -> Outcomes.notFound(
        "prescription-not-found", "未找到处方 MedicationRequest/" + id, "MedicationRequest/" + id + " not found"));
    boolean foreign = institutions.isForeign(mr, caller);
    if (foreign && !institutions.mayShare(caller, mr, request)) {
      boolean refusal = consents.refuses(mr.getSubject().getReference());
      throw Outcomes.forbidden(refusal ? "patient-refused-sharing" : "sharing-rules",
          refusal ? "患者已拒绝向其他机构共享处方（拒绝共享），不能查阅或使用该处方；紧急情况可在请求头 X-Break-Glass 中说明理由后查阅"
              : "共享规则不允许本机构使用其他机构的该处方",
          refusal ? "the patient refused sharing: this prescription of another institution is not available"
              : "the sharing rules do not allow this prescription of another institution");
    }
    return new Original(mr, foreign, own);
  }

  /** Audit: the caller used another institution's prescription (who, which patient, what, when). */
  public void auditRead(Caller caller, RequestDetails request, MedicationRequest mr) {
    // The gateway's own work (demo loader) is no one's read.
    if (audit == null || request instanceof ca.uhn.fhir.rest.api.server.SystemRequestDetails
        || !institutions.isForeign(mr, caller)) {
      return;
    }
    String owner = institutions.ownerId(mr).map(o -> "Organization/" + o).orElse(null);
    String ref = "MedicationRequest/" + mr.getIdElement().getIdPart();
    JpaPid pid = IDao.RESOURCE_PID.get(mr);
    String path = request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails srd
        ? srd.getServletRequest().getRequestURI() : "/" + request.getRequestPath();
    audit.crossInstitutionRead(caller, SharedPrescriptionService.remote(request),
        request.getRequestType() == null ? null : request.getRequestType().name(), path,
        request.getOperation() == null ? "operation" : request.getOperation(), null,
        List.of(new SecurityAuditService.Access(ref, owner,
            mr.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue())),
        pid == null ? Map.of() : Map.of(ref, pid));
  }

  /**
   * The doctor must work at the caller's institution: a PractitionerRole at its Organization, or a
   * practitioner code in the institution's practitioner-code system.
   */
  public Practitioner requireOwnPractitioner(String organizationId, String nhsaCode, Reference practitioner) {
    IdType id = new IdType(practitioner.getReference());
    if (!"Practitioner".equals(id.getResourceType()) || !id.hasIdPart()) {
      throw Outcomes.invalid("requester-invalid", "医师须以 Practitioner/[id] 引用",
          "the practitioner must be referenced as Practitioner/[id]");
    }
    Practitioner p = store.read(Practitioner.class, id.getIdPart()).orElseThrow(() -> Outcomes.invalid(
        "requester-not-found", "未找到医师 Practitioner/" + id.getIdPart(), "Practitioner/" + id.getIdPart() + " not found"));
    boolean coded = p.getIdentifier().stream()
        .anyMatch(i -> IdentifierSystems.practitionerCodeSystem(nhsaCode).equals(i.getSystem()));
    if (coded) {
      return p;
    }
    SearchParameterMap map = new SearchParameterMap();
    map.add(PractitionerRole.SP_PRACTITIONER, new ReferenceParam("Practitioner/" + id.getIdPart()));
    map.add(PractitionerRole.SP_ORGANIZATION, new ReferenceParam("Organization/" + organizationId));
    map.setCount(1);
    if (store.search(PractitionerRole.class, map).isEmpty()) {
      throw Outcomes.unprocessableException(new org.lianyao.prescription.rules.RuleViolation("requester-not-own",
          "医师 Practitioner/" + id.getIdPart() + " 不是本机构（" + nhsaCode + "）的医师",
          "Practitioner/" + id.getIdPart() + " does not work at " + nhsaCode));
    }
    return p;
  }
}
