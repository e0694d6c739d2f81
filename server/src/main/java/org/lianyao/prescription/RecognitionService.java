package org.lianyao.prescription;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.security.Caller;
import org.springframework.stereotype.Service;

/**
 * 处方互认 (mutual recognition): the caller's institution records that it accepts another member's
 * prescription, as a Provenance targeting the prescription (activity {@code recognize} 互认, agent
 * the caller's Organization as verifier, optionally the doctor). Recognising twice returns the
 * first record. Prescriptions the caller may not see (patient's refusal) cannot be recognised.
 */
@Service
public class RecognitionService {

  private static final Set<MedicationRequestStatus> RECOGNISABLE =
      Set.of(MedicationRequestStatus.ACTIVE, MedicationRequestStatus.COMPLETED);

  private final SystemStore store;
  private final Institutions institutions;
  private final OriginalPrescriptions originals;

  public RecognitionService(SystemStore store, Institutions institutions, OriginalPrescriptions originals) {
    this.store = store;
    this.institutions = institutions;
    this.originals = originals;
  }

  static boolean isRecognition(Provenance p) {
    return p.getActivity().getCoding().stream().anyMatch(c -> PrescriptionCodes.CS_PRESCRIPTION_ACTIVITY.equals(c.getSystem())
        && PrescriptionCodes.ACTIVITY_RECOGNIZE.equals(c.getCode()));
  }

  /**
   * @param note the doctor's remark, may be null
   * @param practitioner the recognising doctor ({@code Practitioner/id}), may be null
   */
  public Provenance recognize(Caller caller, RequestDetails request, String prescriptionId, String note,
      Reference practitioner) {
    OriginalPrescriptions.Original original = originals.readForCaller(caller, request, prescriptionId);
    MedicationRequest mr = original.prescription();
    if (!original.foreign()) {
      throw Outcomes.unprocessableException(new RuleViolation("recognize-own",
          "不能互认本机构开具的处方", "a prescription cannot be recognised by its own institution"));
    }
    if (!RECOGNISABLE.contains(mr.getStatus())) {
      throw Outcomes.unprocessableException(new RuleViolation("recognize-status",
          "只能互认有效或已完成的处方（当前状态：" + (mr.getStatus() == null ? "未知" : mr.getStatus().toCode()) + "）",
          "only active or completed prescriptions can be recognised"));
    }
    if (practitioner != null && practitioner.hasReference()) {
      originals.requireOwnPractitioner(original.own().organizationId(), caller.institution(), practitioner);
    }
    String target = "MedicationRequest/" + mr.getIdElement().getIdPart();
    String orgRef = "Organization/" + original.own().organizationId();
    SearchParameterMap map = new SearchParameterMap();
    map.add(Provenance.SP_TARGET, new ReferenceParam(target));
    map.add(Provenance.SP_AGENT, new ReferenceParam(orgRef));
    List<Provenance> existing = store.search(Provenance.class, map).stream().filter(RecognitionService::isRecognition).toList();
    originals.auditRead(caller, request, mr);
    if (!existing.isEmpty()) {
      return existing.get(0);
    }
    Provenance p = new Provenance();
    p.addTarget(new Reference(mr.getIdElement().toUnqualified().getValue()));
    p.setRecorded(new Date());
    p.setActivity(new CodeableConcept(PrescriptionCodes.recognizeActivity()).setText("互认"));
    Provenance.ProvenanceAgentComponent org = p.addAgent();
    org.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
        "verifier", "Verifier")).setText("互认机构"));
    org.setWho(new Reference(orgRef).setDisplay(institutions.byId(original.own().organizationId())
        .map(Institutions.Info::name).orElse(caller.institution())));
    if (practitioner != null && practitioner.hasReference()) {
      Provenance.ProvenanceAgentComponent doctor = p.addAgent();
      doctor.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
          "author", "Author")).setText("互认医师"));
      doctor.setWho(new Reference(practitioner.getReference()).setDisplay(practitioner.getDisplay()));
      doctor.setOnBehalfOf(new Reference(orgRef));
    }
    CodeableConcept reason = new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason",
        "TREAT", "treatment"));
    if (note != null && !note.isBlank()) {
      reason.setText(note.strip());
    }
    p.addReason(reason);
    return (Provenance) store.create(p).getResource();
  }
}
