package org.lianyao.security.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.jpa.api.dao.IDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IDomainResource;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerContext;
import org.lianyao.security.Interaction;
import org.lianyao.security.audit.SecurityAuditService;

/**
 * HAPI consent service for reads: decides per resource what a caller sees, so that a search
 * returns what the caller may see instead of failing whole.
 *
 * <ul>
 *   <li>Another institution's patient data (prescriptions, dispenses) is shown only if the
 *       {@link SharingPolicy} beans allow it, and every such read is written to the audit trail
 *       (one AuditEvent per request listing the resources and patients).
 *   <li>Personal data of a type the caller may not read at all (e.g. a Patient pulled in by
 *       {@code _include} for the auditor) is left out.
 * </ul>
 */
public class SharingConsentService implements IConsentService {

  private static final String KEY = SharingConsentService.class.getName();
  private static final String FILTERING = KEY + ".filtering";
  private static final String ACCESSES = KEY + ".accesses";
  private static final String REFUSED = KEY + ".refused";
  private static final String LOADED = KEY + ".loaded";
  /** An AuditEvent lists at most this many resources; the count in its description is exact. */
  private static final int MAX_AUDITED_ENTITIES = 200;
  private static final Set<String> CONTAINERS = Set.of("Bundle", "Parameters", "OperationOutcome");

  private final List<SharingPolicy> policies;
  private final ResourceOwnership ownership;
  private final InstitutionDirectory directory;
  private final AccessPolicy accessPolicy;
  private final SecurityAuditService audit;
  /** Types with personal data: the Patient compartment, plus Patient, Practitioner and AuditEvent. */
  private final Set<String> personalDataTypes = new HashSet<>();

  public SharingConsentService(List<SharingPolicy> policies, ResourceOwnership ownership,
      InstitutionDirectory directory, AccessPolicy accessPolicy, SecurityAuditService audit, FhirContext ctx) {
    this.policies = List.copyOf(policies);
    this.ownership = ownership;
    this.directory = directory;
    this.accessPolicy = accessPolicy;
    this.audit = audit;
    for (String type : ctx.getResourceTypes()) {
      RuntimeResourceDefinition def = ctx.getResourceDefinition(type);
      if (!def.getSearchParamsForCompartmentName("Patient").isEmpty()) {
        personalDataTypes.add(type);
      }
    }
    personalDataTypes.addAll(List.of("Patient", "Practitioner", "PractitionerRole", "AuditEvent"));
  }

  @Override
  public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices services) {
    // No caller: the capability statement (open), or the gateway's own system requests.
    return CallerContext.of(request).isPresent() ? ConsentOutcome.PROCEED : ConsentOutcome.AUTHORIZED;
  }

  @Override
  public boolean shouldProcessCanSeeResource(RequestDetails request, IConsentContextServices services) {
    Optional<Caller> caller = CallerContext.of(request);
    if (caller.isEmpty()) {
      return false;
    }
    boolean filtering = false;
    for (SharingPolicy p : policies) {
      if (p.mayRefuse(caller.get(), request)) {
        filtering = true;
        break;
      }
    }
    request.getUserData().put(FILTERING, filtering);
    return filtering;
  }

  @Override
  public ConsentOutcome canSeeResource(RequestDetails request, IBaseResource resource, IConsentContextServices services) {
    Optional<Caller> caller = CallerContext.of(request);
    if (caller.isEmpty() || !isForeignPatientData(caller.get(), resource)) {
      return ConsentOutcome.PROCEED;
    }
    if (!shared(caller.get(), resource, request)) {
      refused(request, resource);
      return ConsentOutcome.REJECT;
    }
    return ConsentOutcome.PROCEED;
  }

  @Override
  public ConsentOutcome willSeeResource(RequestDetails request, IBaseResource resource, IConsentContextServices services) {
    Optional<Caller> caller = CallerContext.of(request);
    if (caller.isEmpty() || request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
      return ConsentOutcome.PROCEED;
    }
    String type = resource.fhirType();
    if (CONTAINERS.contains(type)) {
      return ConsentOutcome.PROCEED;
    }
    loaded(request, resource);
    if (personalDataTypes.contains(type) && !readable(caller.get(), type)) {
      refused(request, resource);
      return ConsentOutcome.REJECT;
    }
    if (!isForeignPatientData(caller.get(), resource)) {
      return shown(resource);
    }
    if (!Boolean.TRUE.equals(request.getUserData().get(FILTERING)) && !shared(caller.get(), resource, request)) {
      refused(request, resource);
      return ConsentOutcome.REJECT;
    }
    accessed(request, resource);
    return shown(resource);
  }

  /**
   * A resource the caller may see. PROCEED makes HAPI walk every element of it looking for resources
   * inside (0.5 ms of a 20-prescription search's response, the largest part of what consent costs a
   * request); AUTHORIZED skips that walk. In R4 only contained resources sit inside a resource that
   * is not a Bundle or Parameters (those are answered PROCEED above), so a resource without any is
   * AUTHORIZED and one with contained resources still has them checked one by one.
   */
  private static ConsentOutcome shown(IBaseResource resource) {
    return resource instanceof IDomainResource d && d.getContained().isEmpty()
        ? ConsentOutcome.AUTHORIZED : ConsentOutcome.PROCEED;
  }

  @Override
  public void completeOperationSuccess(RequestDetails request, IConsentContextServices services) {
    writeAudit(request);
  }

  @Override
  public void completeOperationFailure(RequestDetails request, BaseServerResponseException exception,
      IConsentContextServices services) {
    writeAudit(request);
  }

  private boolean readable(Caller caller, String type) {
    Set<Interaction> eff = accessPolicy.effective(caller, type);
    return eff.contains(Interaction.READ) || eff.contains(Interaction.SEARCH);
  }

  private boolean isForeignPatientData(Caller caller, IBaseResource resource) {
    if (!ResourceOwnership.PATIENT_DATA_TYPES.contains(resource.fhirType())) {
      return false;
    }
    ResourceOwnership.Institution own = caller.institutionCode()
        .flatMap(code -> directory.organizationId(code).map(id -> new ResourceOwnership.Institution(code, id)))
        .orElse(null);
    return ownership.isForeign(resource, own);
  }

  private boolean shared(Caller caller, IBaseResource resource, RequestDetails request) {
    boolean allowed = false;
    for (SharingPolicy p : policies) {
      SharingPolicy.Decision d = p.decide(caller, resource, request);
      if (d == SharingPolicy.Decision.REFUSE) {
        return false;
      }
      allowed |= d == SharingPolicy.Decision.ALLOW;
    }
    return allowed;
  }

  @SuppressWarnings("unchecked")
  private void accessed(RequestDetails request, IBaseResource resource) {
    List<SecurityAuditService.Access> list = (List<SecurityAuditService.Access>)
        request.getUserData().computeIfAbsent(ACCESSES, k -> new ArrayList<SecurityAuditService.Access>());
    List<Reference> owners = ownership.ownerReferences(resource);
    String owner = owners.isEmpty() ? null : owners.get(0).getReference();
    String patient = null;
    if (resource instanceof MedicationRequest mr && mr.hasSubject()) {
      patient = mr.getSubject().getReference();
    } else if (resource instanceof MedicationDispense md && md.hasSubject()) {
      patient = md.getSubject().getReference();
    }
    list.add(new SecurityAuditService.Access(
        resource.getIdElement().toUnqualifiedVersionless().getValue(), owner, patient));
  }

  /** HAPI's key of each resource the response carries: the audit event links them without look-ups. */
  @SuppressWarnings("unchecked")
  private void loaded(RequestDetails request, IBaseResource resource) {
    JpaPid pid = IDao.RESOURCE_PID.get(resource);
    if (pid != null && resource.getIdElement().hasIdPart()) {
      ((Map<String, JpaPid>) request.getUserData().computeIfAbsent(LOADED, k -> new HashMap<String, JpaPid>()))
          .put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), pid);
    }
  }

  @SuppressWarnings("unchecked")
  private void refused(RequestDetails request, IBaseResource resource) {
    List<String> list = (List<String>) request.getUserData().computeIfAbsent(REFUSED, k -> new ArrayList<String>());
    list.add(resource.getIdElement().toUnqualifiedVersionless().getValue());
  }

  @SuppressWarnings("unchecked")
  private void writeAudit(RequestDetails request) {
    Optional<Caller> caller = CallerContext.of(request);
    if (caller.isEmpty()) {
      return;
    }
    String remote = null;
    String path = "/" + request.getRequestPath();
    String query = null;
    if (request instanceof ServletRequestDetails srd) {
      remote = srd.getServletRequest().getRemoteAddr();
      path = srd.getServletRequest().getRequestURI();
      query = srd.getServletRequest().getQueryString();
    }
    String method = request.getRequestType() == null ? null : request.getRequestType().name();
    String interaction = request.getRestOperationType() == null ? null : request.getRestOperationType().getCode();
    List<SecurityAuditService.Access> accesses = (List<SecurityAuditService.Access>) request.getUserData().remove(ACCESSES);
    if (accesses != null && !accesses.isEmpty()) {
      List<SecurityAuditService.Access> listed = accesses.size() > MAX_AUDITED_ENTITIES
          ? accesses.subList(0, MAX_AUDITED_ENTITIES) : accesses;
      Map<String, JpaPid> loaded = (Map<String, JpaPid>) request.getUserData().remove(LOADED);
      audit.crossInstitutionRead(caller.get(), remote, method, path, interaction, query, listed,
          loaded == null ? Map.of() : loaded);
    }
    List<String> refused = (List<String>) request.getUserData().remove(REFUSED);
    if (refused != null && !refused.isEmpty()) {
      String first = refused.get(0);
      audit.refused(new SecurityAuditService.Refusal(SecurityAuditService.Agent.of(caller.get(), remote),
          method, path, interaction, false,
          "共享规则未允许读取其他机构的 " + refused.size() + " 条数据，已从结果中略去",
          refused.size() + " resource(s) of other institutions withheld by the sharing rules",
          "sharing-consent", refused.size() == 1 ? first : null));
    }
  }
}
