package org.lianyao.prescription.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.prescription.PrescriptionProperties;
import org.lianyao.security.Caller;
import org.lianyao.security.Role;
import org.lianyao.security.fhir.SharingPolicy;
import org.springframework.stereotype.Component;

/**
 * The patient's word on sharing (security's {@link SharingPolicy} extension point): another
 * institution's prescription or dispense of a patient who refused sharing is refused — in searches
 * ({@code MedicationRequest?patient.identifier=…} included), reads and the shared view — unless the
 * caller breaks the glass with a reason ({@link BreakGlass}); that is allowed for member HIS and
 * pharmacists (who treat the patient) and audited as an emergency access
 * ({@link EmergencyAccessAudit}, once per request and patient). Abstains otherwise, so the
 * consortium rule decides.
 */
@Component
public class PatientConsentSharingPolicy implements SharingPolicy {

  private static final String AUDITED = PatientConsentSharingPolicy.class.getName() + ".audited";

  private final SharingConsents consents;
  private final EmergencyAccessAudit audit;
  private final String header;

  public PatientConsentSharingPolicy(SharingConsents consents, EmergencyAccessAudit audit,
      PrescriptionProperties properties) {
    this.consents = consents;
    this.audit = audit;
    this.header = properties.sharing().breakGlassHeader();
  }

  /**
   * Only when some patient refused — and, for a search confined to one patient (a HIS's usual
   * {@code MedicationRequest?patient=…}), only when that patient did: otherwise HAPI would check
   * every match of the search before paging, and not reuse cached results.
   */
  @Override
  public boolean mayRefuse(Caller caller, RequestDetails request) {
    if (!consents.anyRefusal()) {
      return false;
    }
    return SinglePatientSearch.patientId(request).map(consents::refuses).orElse(true);
  }

  @Override
  public Decision decide(Caller caller, IBaseResource resource, RequestDetails request) {
    Reference subject = subject(resource);
    if (subject == null || !subject.getReferenceElement().hasIdPart()
        || !consents.refuses(subject.getReferenceElement().getIdPart())) {
      return Decision.ABSTAIN;
    }
    var reason = BreakGlass.reason(request, header);
    if (reason.isEmpty() || !mayBreakGlass(caller)) {
      return Decision.REFUSE;
    }
    String patient = "Patient/" + subject.getReferenceElement().getIdPart();
    @SuppressWarnings("unchecked")
    Set<String> audited = (Set<String>) request.getUserData().computeIfAbsent(AUDITED, k -> new HashSet<String>());
    if (audited.add(patient)) {
      audit.record(caller, request, patient, resource.getIdElement().toUnqualifiedVersionless().getValue(), reason.get());
    }
    return Decision.ALLOW;
  }

  static boolean mayBreakGlass(Caller caller) {
    return caller.hasRole(Role.HIS, Role.PHARMACIST, Role.ADMIN);
  }

  static Reference subject(IBaseResource resource) {
    if (resource instanceof MedicationRequest mr) {
      return mr.getSubject();
    }
    if (resource instanceof MedicationDispense md) {
      return md.getSubject();
    }
    return null;
  }
}
