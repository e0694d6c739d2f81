package org.lianyao.prescription.consent;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.fhir.AfterCommit;
import org.lianyao.prescription.PrescriptionCodes;
import org.lianyao.prescription.PrescriptionProperties;
import org.lianyao.prescription.support.SystemStore;
import org.springframework.stereotype.Component;

/**
 * Patients' choices about sharing their prescriptions across the consortium (Consent). A patient
 * refuses sharing (拒绝共享) with an active Consent of scope {@code patient-privacy} whose base
 * provision is {@code deny}: the other institutions then see none of his prescriptions and
 * dispenses; the institution that wrote them still does (its own data is never "shared"). Any such
 * Consent counts, whoever wrote it; the gateway writes its own through {@link #record}, which also
 * retires the patient's earlier sharing Consents (status {@code inactive}), so that the latest
 * choice is the only active one.
 *
 * <p>The set of refusing patients is kept in memory and re-read every
 * {@code lianyao.prescription.sharing.refusal-refresh-interval} (writes on other nodes), and at
 * once after any Consent write on this node: the check is per resource shown, so it must not query.
 */
@Component
public class SharingConsents {

  public enum Choice {
    /** 拒绝共享. */
    DENY,
    /** 同意共享 (withdraws a refusal). */
    PERMIT
  }

  private final SystemStore store;
  private final Duration refresh;
  private volatile Set<String> refusing;
  private volatile long loadedAt;

  public SharingConsents(SystemStore store, PrescriptionProperties properties) {
    this.store = store;
    this.refresh = properties.sharing().refusalRefreshInterval();
  }

  /** True when the patient ({@code Patient/id} or id) has refused sharing. */
  public boolean refuses(String patient) {
    if (patient == null) {
      return false;
    }
    String id = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
    return refusing().contains(id);
  }

  public boolean anyRefusal() {
    return !refusing().isEmpty();
  }

  private Set<String> refusing() {
    Set<String> current = refusing;
    if (current == null || System.currentTimeMillis() - loadedAt > refresh.toMillis()) {
      synchronized (this) {
        if (refusing == null || System.currentTimeMillis() - loadedAt > refresh.toMillis()) {
          refusing = load();
          loadedAt = System.currentTimeMillis();
        }
        current = refusing;
      }
    }
    return current;
  }

  private Set<String> load() {
    SearchParameterMap map = new SearchParameterMap();
    map.add(Consent.SP_STATUS, new TokenParam("active"));
    map.add(Consent.SP_SCOPE, new TokenParam(PrescriptionCodes.CONSENT_SCOPE_SYSTEM, "patient-privacy"));
    Set<String> ids = new HashSet<>();
    for (Consent c : store.search(Consent.class, map)) {
      if (isRefusal(c) && c.getPatient().getReferenceElement().hasIdPart()) {
        ids.add(c.getPatient().getReferenceElement().getIdPart());
      }
    }
    return Set.copyOf(ids);
  }

  static boolean isRefusal(Consent c) {
    return c.getStatus() == ConsentState.ACTIVE && c.getProvision().getType() == ConsentProvisionType.DENY;
  }

  /** Forget the cached set after the running transaction commits (and now). */
  public void invalidateAfterCommit() {
    AfterCommit.invalidate(() -> loadedAt = 0);
  }

  /**
   * Records the patient's choice as a new active Consent and retires the earlier ones.
   *
   * @param patientId the patient's logical id
   * @param organizationId the institution recording it (Consent.organization)
   * @param reason free text, may be null
   */
  public Consent record(String patientId, Choice choice, String organizationId, String organizationName,
      String reason) {
    for (Consent previous : active(patientId)) {
      previous.setStatus(ConsentState.INACTIVE);
      store.update(previous);
    }
    Consent consent = new Consent();
    consent.setStatus(ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding(PrescriptionCodes.CONSENT_SCOPE_SYSTEM, "patient-privacy",
        "Privacy Consent")).setText("隐私"));
    consent.addCategory(new CodeableConcept(PrescriptionCodes.sharingConsentCategory())
        .setText(choice == Choice.DENY ? "拒绝共享处方" : "同意共享处方"));
    consent.setPatient(new Reference("Patient/" + patientId));
    consent.setDateTime(new Date());
    consent.addPerformer(new Reference("Patient/" + patientId));
    if (organizationId != null) {
      consent.addOrganization(new Reference("Organization/" + organizationId).setDisplay(organizationName));
    }
    consent.addPolicy().setUri(PrescriptionCodes.CS_CONSENT_CATEGORY + "#" + PrescriptionCodes.CONSENT_PRESCRIPTION_SHARING);
    consent.setPolicyRule(new CodeableConcept(new Coding(PrescriptionCodes.V3_ACT_CODE,
        choice == Choice.DENY ? "OPTOUT" : "OPTIN", choice == Choice.DENY ? "opt-out" : "opt-in")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(choice == Choice.DENY ? ConsentProvisionType.DENY : ConsentProvisionType.PERMIT);
    // What the choice covers: prescriptions and dispenses, i.e. what other institutions could read.
    provision.addClass_(new Coding("http://hl7.org/fhir/resource-types", "MedicationRequest", "MedicationRequest"));
    provision.addClass_(new Coding("http://hl7.org/fhir/resource-types", "MedicationDispense", "MedicationDispense"));
    if (reason != null && !reason.isBlank()) {
      consent.getSourceAttachment().setTitle(reason.strip());
    }
    Consent stored = (Consent) store.create(consent).getResource();
    invalidateAfterCommit();
    return stored;
  }

  /** The patient's active sharing Consents (refusals and permissions). */
  public List<Consent> active(String patientId) {
    SearchParameterMap map = new SearchParameterMap();
    map.add(Consent.SP_PATIENT, new ReferenceParam("Patient/" + patientId));
    map.add(Consent.SP_STATUS, new TokenParam("active"));
    map.add(Consent.SP_SCOPE, new TokenParam(PrescriptionCodes.CONSENT_SCOPE_SYSTEM, "patient-privacy"));
    return store.search(Consent.class, map);
  }

  public Optional<Consent> currentRefusal(String patientId) {
    return active(patientId).stream().filter(SharingConsents::isRefusal).findFirst();
  }
}
