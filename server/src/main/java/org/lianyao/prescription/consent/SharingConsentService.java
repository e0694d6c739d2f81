package org.lianyao.prescription.consent;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.lianyao.prescription.Outcomes;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.security.Caller;
import org.lianyao.security.Role;
import org.springframework.stereotype.Service;

/**
 * Records a patient's choice on prescription sharing, told to a member institution (the patient
 * signs the refusal 拒绝共享 there): {@code Patient/[id]/$sharing-consent?decision=deny|permit}.
 * The recording institution becomes Consent.organization. Member HIS and the administrator may
 * record; plain Consent writes are not open to members (security's role table), so this operation
 * is the way in.
 */
@Service
public class SharingConsentService {

  private final SharingConsents consents;
  private final Institutions institutions;
  private final SystemStore store;

  public SharingConsentService(SharingConsents consents, Institutions institutions, SystemStore store) {
    this.consents = consents;
    this.institutions = institutions;
    this.store = store;
  }

  public Consent record(Caller caller, String patientId, String decision, String reason) {
    SharingConsents.Choice choice;
    if ("deny".equals(decision)) {
      choice = SharingConsents.Choice.DENY;
    } else if ("permit".equals(decision)) {
      choice = SharingConsents.Choice.PERMIT;
    } else {
      throw Outcomes.invalid("decision-invalid", "decision 须为 deny（拒绝共享）或 permit（同意共享）",
          "decision must be deny or permit");
    }
    if (store.read(Patient.class, patientId).isEmpty()) {
      throw Outcomes.notFound("patient-not-found", "未找到患者 Patient/" + patientId, "Patient/" + patientId + " not found");
    }
    String orgId = null;
    String orgName = null;
    if (caller != null && caller.institution() != null) {
      var info = institutions.byNhsaCode(caller.institution());
      if (info.isEmpty() && !caller.hasRole(Role.ADMIN)) {
        throw Outcomes.forbidden("institution-not-registered", "本机构（" + caller.institution() + "）未在医联体机构目录中登记",
            "institution " + caller.institution() + " is not a registered member");
      }
      orgId = info.map(Institutions.Info::organizationId).orElse(null);
      orgName = info.map(Institutions.Info::name).orElse(null);
    }
    return consents.record(patientId, choice, orgId, orgName, reason);
  }
}
