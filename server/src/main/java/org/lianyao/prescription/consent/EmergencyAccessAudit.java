package org.lianyao.prescription.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.security.Caller;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the AuditEvent of an emergency override (break-glass): who (client and institution), which
 * patient, why, when — purpose of use {@code v3-ActReason#BTG} and {@code ETREAT}, searchable with
 * {@code AuditEvent?entity=Patient/…} or {@code AuditEvent?patient=…}. Written synchronously in its
 * own transaction, before the data is shown: an emergency read must never go unrecorded. (The
 * ordinary cross-institution read is audited as well, by the security package.) Agents follow the
 * security audit's layout so the auditor's searches ({@code altid=}) find both.
 */
@Component
public class EmergencyAccessAudit {

  private static final Logger log = LoggerFactory.getLogger(EmergencyAccessAudit.class);
  static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  private final DaoRegistry daoRegistry;
  private final TransactionTemplate ownTransaction;

  public EmergencyAccessAudit(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager) {
    this.daoRegistry = daoRegistry;
    this.ownTransaction = new TransactionTemplate(transactionManager);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  public void record(Caller caller, RequestDetails request, String patientReference, String resourceReference,
      String reason) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    String interaction = request.getRestOperationType() == null ? "read" : request.getRestOperationType().getCode();
    event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", interaction, interaction));
    event.setAction(AuditEventAction.R);
    event.setRecorded(new Date());
    event.setOutcome(AuditEventOutcome._0);
    event.setOutcomeDesc("紧急查阅（break-glass）：患者已拒绝共享处方，调阅理由：" + reason
        + " | emergency override of a patient's sharing refusal");
    event.addPurposeOfEvent(new CodeableConcept(new Coding(ACT_REASON, "BTG", "break the glass")));
    event.addPurposeOfEvent(new CodeableConcept(new Coding(ACT_REASON, "ETREAT", "Emergency Treatment")));

    AuditEventAgentComponent client = event.addAgent();
    client.setRequestor(true);
    client.setType(new CodeableConcept(new Coding(DCM, "110150", "Application")));
    client.setWho(new Reference().setIdentifier(new Identifier()
        .setSystem(SecurityAuditService.CLIENT_ID_SYSTEM).setValue(caller.clientId())).setDisplay(caller.clientId()));
    client.setAltId(caller.clientId());
    client.addRole(new CodeableConcept().setText(caller.role().claimValue()));
    if (request instanceof ServletRequestDetails srd) {
      client.getNetwork().setAddress(srd.getServletRequest().getRemoteAddr())
          .setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    if (caller.institution() != null) {
      AuditEventAgentComponent org = event.addAgent();
      org.setRequestor(false);
      org.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
          "PRF", "performer")));
      org.setWho(new Reference().setType("Organization").setIdentifier(new Identifier()
          .setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE).setValue(caller.institution())).setDisplay(caller.institution()));
    }
    event.getSource().setSite("Lianyao").setObserver(new Reference().setDisplay("Lianyao FHIR gateway"))
        .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

    AuditEventEntityComponent patient = event.addEntity();
    patient.setWhat(new Reference(patientReference));
    patient.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
    patient.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    patient.addDetail().setType("break-glass-reason").setValue(new StringType(reason));
    if (resourceReference != null) {
      AuditEventEntityComponent what = event.addEntity();
      what.setWhat(new Reference(resourceReference));
      what.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
      what.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"));
    }
    String path = request instanceof ServletRequestDetails srd ? srd.getServletRequest().getRequestURI()
        : "/" + request.getRequestPath();
    AuditEventEntityComponent query = event.addEntity();
    query.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    query.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"));
    query.setDescription((request.getRequestType() == null ? "" : request.getRequestType().name() + " ") + path);
    try {
      ownTransaction.executeWithoutResult(status ->
          daoRegistry.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails()));
    } catch (RuntimeException e) {
      log.error("Could not write the emergency-access audit event: {}", e.toString());
      throw e;
    }
  }
}
