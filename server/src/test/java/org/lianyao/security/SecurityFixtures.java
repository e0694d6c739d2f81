package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;

/** Complete, profile-ready test resources and look-ups of the demo consortium. */
final class SecurityFixtures {

  static final String LEAD = "H50011200001";
  static final String COMMUNITY = "H50011200002";
  static final String CLINIC = "H50011200004";

  private final String base;
  private final FhirContext ctx;
  private final String adminToken;

  SecurityFixtures(String base, FhirContext ctx) {
    this.base = base;
    this.ctx = ctx;
    this.adminToken = TestTokens.token(base, "admin");
  }

  String orgId(String nhsaCode) {
    return firstId("/fhir/Organization?identifier=" + IdentifierSystems.NHSA_INSTITUTION_CODE + "%7C" + nhsaCode);
  }

  /** The demo consortium formulary version (医联体用药目录 YGT-2025) a member formulary stays inside. */
  String demoConsortiumFormularyId() {
    return firstId("/fhir/InsurancePlan?identifier=" + IdentifierSystems.FORMULARY + "%7CYGT-2025");
  }

  String demoPatientId() {
    return firstId("/fhir/Patient?identifier=" + IdentifierSystems.RESIDENT_ID + "%7C500112195603120119");
  }

  String practitionerId(String nhsaCode, String code) {
    return firstId("/fhir/Practitioner?identifier=" + IdentifierSystems.practitionerCodeSystem(nhsaCode) + "%7C" + code);
  }

  private String firstId(String path) {
    Response r = TestTokens.get(base + path, adminToken);
    assertThat(r.status()).as(path).isEqualTo(200);
    Bundle b = ctx.newJsonParser().parseResource(Bundle.class, r.body());
    assertThat(b.getEntry()).as(path).isNotEmpty();
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  /** A complete prescription: prescribing institution, number in an institution's system, subject, requester. */
  static MedicationRequest prescription(String prescribingOrgId, String numberInstitution, String patientId,
      String practitionerId) {
    MedicationRequest mr = new MedicationRequest();
    mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, new Reference("Organization/" + prescribingOrgId));
    mr.addIdentifier()
        .setSystem(IdentifierSystems.prescriptionNumberSystem(numberInstitution))
        .setValue("T" + UUID.randomUUID().toString().substring(0, 12))
        .setAssigner(new Reference("Organization/" + prescribingOrgId));
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY, "ordinary", "普通")));
    mr.setMedication(new CodeableConcept().setText("苯磺酸氨氯地平片"));
    mr.setSubject(new Reference("Patient/" + patientId));
    mr.setRequester(new Reference("Practitioner/" + practitionerId));
    mr.setAuthoredOn(new Date());
    mr.addReasonCode().setText("高血压");
    org.hl7.fhir.r4.model.Dosage dosage = mr.addDosageInstruction().setText("每日一次，每次5mg，口服");
    dosage.setRoute(new CodeableConcept(new Coding(CodeSystems.ROUTE, "1", "口服")));
    dosage.getTiming().getRepeat().setFrequency(1).setPeriod(1)
        .setPeriodUnit(org.hl7.fhir.r4.model.Timing.UnitsOfTime.D);
    dosage.addDoseAndRate().setDose(new Quantity().setValue(5).setUnit("mg")
        .setSystem("http://unitsofmeasure.org").setCode("mg"));
    org.hl7.fhir.r4.model.Duration days = new org.hl7.fhir.r4.model.Duration();
    days.setValue(28).setUnit("天").setSystem("http://unitsofmeasure.org").setCode("d");
    mr.getDispenseRequest().setQuantity(new Quantity().setValue(28).setUnit("片")).setExpectedSupplyDuration(days);
    return mr;
  }

  static MedicationDispense dispense(String dispensingOrgId, String patientId) {
    MedicationDispense md = new MedicationDispense();
    md.addExtension(Extensions.DISPENSING_INSTITUTION, new Reference("Organization/" + dispensingOrgId));
    md.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
    md.setMedication(new CodeableConcept().setText("苯磺酸氨氯地平片"));
    md.setSubject(new Reference("Patient/" + patientId));
    md.setQuantity(new Quantity().setValue(28).setUnit("片"));
    md.setWhenHandedOver(new Date());
    return md;
  }

  /** 缺药登记: a shortage registration by an institution. */
  static SupplyRequest shortage(String requesterOrgId) {
    SupplyRequest sr = new SupplyRequest();
    sr.setStatus(SupplyRequest.SupplyRequestStatus.ACTIVE);
    sr.setItem(new CodeableConcept().setText("阿托伐他汀钙片"));
    sr.setQuantity(new Quantity().setValue(10).setUnit("盒"));
    sr.setRequester(new Reference("Organization/" + requesterOrgId));
    sr.setAuthoredOn(new Date());
    return sr;
  }

  /** A formulary (医联体目录 or 成员单位目录). */
  static InsurancePlan formulary(String ownerOrgId, String kind) {
    return formulary(ownerOrgId, kind, null);
  }

  /** A formulary; a member one points to its consortium version ({@code parentFormularyId}). */
  static InsurancePlan formulary(String ownerOrgId, String kind, String parentFormularyId) {
    InsurancePlan plan = new InsurancePlan();
    plan.setStatus(Enumerations.PublicationStatus.ACTIVE);
    plan.setName(("member".equals(kind) ? "成员单位用药目录 " : "医联体用药目录 ") + UUID.randomUUID().toString().substring(0, 6));
    plan.addType(new CodeableConcept(new Coding(CodeSystems.V3_ACT_CODE, CodeSystems.DRUGPOL, "drug policy")));
    plan.addType(new CodeableConcept(new Coding(CodeSystems.FORMULARY_KIND, kind, null)));
    plan.setOwnedBy(new Reference("Organization/" + ownerOrgId));
    plan.setPeriod(new Period().setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2026-01-01"))
        .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2026-12-31")));
    if (parentFormularyId != null) {
      plan.addExtension(Extensions.PARENT_FORMULARY, new Reference("InsurancePlan/" + parentFormularyId));
    }
    return plan;
  }

  static Medication medication() {
    Medication m = new Medication();
    m.setCode(new CodeableConcept().setText("测试药品 " + UUID.randomUUID().toString().substring(0, 6)));
    return m;
  }

  static CodeSystem codeSystem() {
    CodeSystem cs = new CodeSystem();
    cs.setUrl("http://lianyao.org/fhir/CodeSystem/test-" + UUID.randomUUID());
    cs.setStatus(Enumerations.PublicationStatus.DRAFT);
    cs.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
    cs.addConcept().setCode("a").setDisplay("甲");
    return cs;
  }

  static Organization organization() {
    Organization o = new Organization();
    o.setName("测试机构 " + UUID.randomUUID().toString().substring(0, 6));
    return o;
  }

  static Patient patient(String residentId, String name) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue(residentId);
    p.addName().setText(name).setFamily(name.substring(0, 1)).addGiven(name.substring(1));
    boolean male = (residentId.charAt(16) - '0') % 2 == 1;
    p.setGender(male ? Enumerations.AdministrativeGender.MALE : Enumerations.AdministrativeGender.FEMALE);
    p.setBirthDateElement(new DateType(residentId.substring(6, 10) + "-" + residentId.substring(10, 12) + "-"
        + residentId.substring(12, 14)));
    return p;
  }

  static Practitioner practitioner() {
    Practitioner p = new Practitioner();
    p.addName().setText("测试医师");
    return p;
  }

  /** A random resident ID number of region 500112 with a valid GB 11643 check character. */
  static String residentId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String body = "500112" + (1950 + r.nextInt(50)) + String.format("%02d%02d", 1 + r.nextInt(12), 1 + r.nextInt(28))
        + String.format("%03d", r.nextInt(1000));
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * weights[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  String json(IBaseResource resource) {
    return ctx.newJsonParser().encodeResourceToString(resource);
  }

  Response create(String token, IBaseResource resource) {
    return TestTokens.send("POST", base + "/fhir/" + resource.fhirType(), token, json(resource));
  }

  String createdId(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return ctx.newJsonParser().parseResource(r.body()).getIdElement().getIdPart();
  }

  /** Waits for an AuditEvent (written asynchronously) that the auditor can find. */
  AuditEvent awaitAuditEvent(String query, Predicate<AuditEvent> match) {
    String auditor = TestTokens.token(base, "auditor");
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(30).toMillis();
    List<AuditEvent> seen = List.of();
    while (System.currentTimeMillis() < deadline) {
      // no-cache: HAPI would otherwise answer a repeated search from its cached (earlier) result.
      Response r = TestTokens.get(base + "/fhir/AuditEvent?_count=100&_sort=-_lastUpdated&" + query, auditor,
          java.util.Map.of("Cache-Control", "no-cache"));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      Bundle b = ctx.newJsonParser().parseResource(Bundle.class, r.body());
      seen = b.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
      for (AuditEvent e : seen) {
        if (match.test(e)) {
          return e;
        }
      }
      sleep(300);
    }
    throw new AssertionError("No matching AuditEvent for " + query + "; saw " + seen.size() + " events");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
