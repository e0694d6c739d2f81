package org.lianyao.security.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.lianyao.security.Caller;
import org.lianyao.security.Role;

/**
 * The baseline sharing rule of a close consortium (紧密型医联体): prescriptions and dispenses are
 * visible across member institutions (处方实时查阅、互认共享) to their HIS and pharmacists; the
 * platform administrator and the traceability platform see them for their duties. Everyone else
 * is refused. Patient-level refusals (Consent) come as further {@link SharingPolicy} beans.
 */
public class ConsortiumMemberSharingPolicy implements SharingPolicy {

  private final InstitutionDirectory directory;

  public ConsortiumMemberSharingPolicy(InstitutionDirectory directory) {
    this.directory = directory;
  }

  @Override
  public boolean mayRefuse(Caller caller, RequestDetails request) {
    return !allowed(caller);
  }

  @Override
  public Decision decide(Caller caller, IBaseResource resource, RequestDetails request) {
    if (caller.role() == Role.TRACE_PLATFORM) {
      return "MedicationDispense".equals(resource.fhirType()) ? Decision.ALLOW : Decision.REFUSE;
    }
    return allowed(caller) ? Decision.ALLOW : Decision.REFUSE;
  }

  private boolean allowed(Caller caller) {
    if (caller.role() == Role.ADMIN || caller.role() == Role.TRACE_PLATFORM) {
      return true;
    }
    return caller.role().actsForInstitution() && directory.isMember(caller.institution());
  }
}
