package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.prescription.PrescriptionFixtures.CLINIC;
import static org.lianyao.prescription.PrescriptionFixtures.HOSPITAL;
import static org.lianyao.prescription.PrescriptionFixtures.enc;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lianyao.prescription.PrescriptionCodes.View;
import org.lianyao.shortage.ShortageStatus;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens.Response;

/**
 * Issue #7 "done when", end to end with the demo clients on the real gateway: the county hospital
 * posts a transaction bundle (patient + prescriptions); the village clinic sees them in
 * {@code $shared-prescriptions} with the hospital's name; {@code $extend} at the clinic creates a
 * linked prescription (a drug the clinic's demo formulary lists) or a shortage registration (a drug
 * it stocks neither as product nor as generic); resubmitting the bundle creates no duplicates; after
 * the patient refuses sharing the clinic sees nothing while the hospital still does; every
 * cross-institution read left an AuditEvent. Steps run in order on one fresh patient.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrescriptionSharingIT extends PostgresIntegrationTest {

  private PrescriptionFixtures fx;
  private String hospitalOrg;
  private String clinicOrg;
  private String hospitalDoctor;
  private String clinicDoctor;
  private Medication amlodipine;
  private Medication tiotropium;
  private LocalDate birth;
  private String residentId;
  private Bundle posted;
  private String patientId;
  private String amlodipineRx;
  private String tiotropiumRx;
  private String metforminRx;
  private String extendedRx;
  private String registration;

  @BeforeAll
  void fixtures() {
    fx = new PrescriptionFixtures(baseUrl(), fhirContext);
    hospitalOrg = fx.orgId(HOSPITAL);
    clinicOrg = fx.orgId(CLINIC);
    hospitalDoctor = fx.practitionerId(HOSPITAL, "D0101");
    clinicDoctor = fx.practitionerId(CLINIC, "D0401");
    // The demo formularies: the village clinic lists amlodipine (京新) but no tiotropium inhaler.
    List<Medication> clinicProducts = fx.formularyProducts(CLINIC + "-2025");
    amlodipine = PrescriptionFixtures.product(clinicProducts, "苯磺酸氨氯地平片", m -> true);
    assertThat(amlodipine).as("demo: village clinic formulary lists 苯磺酸氨氯地平片").isNotNull();
    assertThat(PrescriptionFixtures.product(clinicProducts, "噻托溴铵粉雾剂", m -> true))
        .as("demo: village clinic formulary has no 噻托溴铵粉雾剂").isNull();
    tiotropium = PrescriptionFixtures.product(fx.formularyProducts(HOSPITAL + "-2025"), "噻托溴铵粉雾剂", m -> true);
    assertThat(tiotropium).as("demo: hospital formulary lists 噻托溴铵粉雾剂").isNotNull();
    birth = LocalDate.of(1958, 6, 18);
    residentId = PrescriptionFixtures.residentId(birth);
  }

  /** The hospital HIS's transaction: patient (conditional create) and three prescription lines. */
  private Bundle hospitalBundle() {
    Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String patientUrl = "urn:uuid:6b1a3a52-7c1e-4f0e-9d0b-" + residentId.substring(6, 18).replace('X', '0');
    b.addEntry().setFullUrl(patientUrl).setResource(PrescriptionFixtures.patient(residentId, birth, "测试患者"))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
        .setIfNoneExist("identifier=" + enc(IdentifierSystems.RESIDENT_ID + "|" + residentId));
    String number = "CF" + residentId.substring(10);
    MedicationRequest a = PrescriptionFixtures.prescription(hospitalOrg, HOSPITAL, number, patientUrl, hospitalDoctor, 28, 10);
    a.setMedication(new Reference("Medication/" + amlodipine.getIdElement().getIdPart()).setDisplay("苯磺酸氨氯地平片"));
    MedicationRequest t = PrescriptionFixtures.prescription(hospitalOrg, HOSPITAL, number, patientUrl, hospitalDoctor, 30, 5);
    t.setMedication(new Reference("Medication/" + tiotropium.getIdElement().getIdPart()).setDisplay("噻托溴铵粉雾剂"));
    t.getReasonCodeFirstRep().getCodingFirstRep().setCode("J44.900").setDisplay("慢性阻塞性肺疾病");
    // Inline drug with the hospital's local HIS code: its ConceptMap gives the NHSA code (YP0001 = 二甲双胍).
    MedicationRequest m = PrescriptionFixtures.prescription(hospitalOrg, HOSPITAL, number + "M", patientUrl, hospitalDoctor, 28, 10);
    m.setMedication(new CodeableConcept(new Coding(CodeSystems.localDrugSystem(HOSPITAL), "YP0001", "盐酸二甲双胍片 0.5g"))
        .setText("盐酸二甲双胍片"));
    for (MedicationRequest mr : List.of(a, t, m)) {
      b.addEntry().setResource(mr).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest")
          .setIfNoneExist(PrescriptionFixtures.ifNoneExist(mr));
    }
    return b;
  }

  private Bundle sharedView(String client, Map<String, String> headers) {
    Response r = fx.get(client, "Patient/$shared-prescriptions?identifier=" + enc(residentId), headers);
    return fx.ok(Bundle.class, r);
  }

  private static List<MedicationRequest> prescriptions(Bundle b) {
    return b.getEntry().stream().filter(e -> e.getResource() instanceof MedicationRequest)
        .map(e -> (MedicationRequest) e.getResource()).toList();
  }

  private static Extension view(MedicationRequest mr) {
    return mr.getExtensionByUrl(PrescriptionCodes.EXT_SHARED_VIEW);
  }

  private static String sub(MedicationRequest mr, String name) {
    Extension e = view(mr).getExtensionByUrl(name);
    if (e == null) {
      return null;
    }
    if (e.getValue() instanceof Reference r) {
      return r.getDisplay();
    }
    if (e.getValue() instanceof Coding c) {
      return c.getCode();
    }
    return e.getValue().primitiveValue();
  }

  @Test
  @Order(1)
  void hospitalPostsATransactionBundle() {
    posted = fx.ok(Bundle.class, fx.post(HOSPITAL, "", hospitalBundle()));
    assertThat(posted.getEntry()).hasSize(4);
    assertThat(posted.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    patientId = new org.hl7.fhir.r4.model.IdType(posted.getEntry().get(0).getResponse().getLocation()).getIdPart();
    amlodipineRx = new org.hl7.fhir.r4.model.IdType(posted.getEntry().get(1).getResponse().getLocation()).getIdPart();
    tiotropiumRx = new org.hl7.fhir.r4.model.IdType(posted.getEntry().get(2).getResponse().getLocation()).getIdPart();
    metforminRx = new org.hl7.fhir.r4.model.IdType(posted.getEntry().get(3).getResponse().getLocation()).getIdPart();

    // Local code matched through the hospital's ConceptMap: NHSA code added, not flagged.
    MedicationRequest metformin = fx.ok(MedicationRequest.class, fx.get(HOSPITAL, "MedicationRequest/" + metforminRx));
    assertThat(metformin.getMedicationCodeableConcept().getCoding())
        .anySatisfy(c -> {
          assertThat(c.getSystem()).isEqualTo(IdentifierSystems.NHSA_DRUG_CODE);
          assertThat(c.getCode()).isEqualTo("XA10BAE021A010010201650");
        });
    assertThat(metformin.getMeta().getTag()).noneMatch(t -> "unmatched-drug".equals(t.getCode()));
    Patient patient = fx.ok(Patient.class, fx.get(HOSPITAL, "Patient/" + patientId));
    assertThat(patient.getMeta().getTag()).noneMatch(t -> "unlinkable-patient".equals(t.getCode()));
  }

  @Test
  @Order(2)
  void resubmittingTheBundleCreatesNoDuplicates() {
    Bundle again = fx.ok(Bundle.class, fx.post(HOSPITAL, "", hospitalBundle()));
    assertThat(again.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("200"));
    assertThat(again.getEntry().get(1).getResponse().getLocation()).contains("MedicationRequest/" + amlodipineRx);
    Bundle patients = fx.ok(Bundle.class, fx.get("admin", "Patient?identifier=" + enc(IdentifierSystems.RESIDENT_ID + "|" + residentId)));
    assertThat(patients.getEntry()).hasSize(1);
    Bundle rx = fx.ok(Bundle.class, fx.get(HOSPITAL, "MedicationRequest?subject=Patient/" + patientId));
    assertThat(rx.getEntry()).hasSize(3);

    // A plain create of a second Patient with the same resident ID is refused by the unique index.
    Response dup = fx.post(HOSPITAL, "Patient", PrescriptionFixtures.patient(residentId, birth, "测试患者"));
    OperationOutcome oo = fx.outcome(dup, 409);
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("居民身份证号");
  }

  @Test
  @Order(3)
  void villageClinicSeesThemInTheSharedViewWithTheHospitalsName() {
    Bundle view = sharedView(CLINIC, Map.of());
    List<MedicationRequest> rx = prescriptions(view);
    assertThat(rx).extracting(mr -> mr.getIdElement().getIdPart())
        .containsExactlyInAnyOrder(amlodipineRx, tiotropiumRx, metforminRx);
    // Newest first: tiotropium was written 5 days ago, the others 10.
    assertThat(rx.get(0).getIdElement().getIdPart()).isEqualTo(tiotropiumRx);
    for (MedicationRequest mr : rx) {
      assertThat(sub(mr, View.INSTITUTION)).isEqualTo("示例区人民医院");
      assertThat(sub(mr, View.INSTITUTION_LEVEL)).isEqualTo(CodeSystems.InstitutionLevel.TERTIARY_HOSPITAL);
      assertThat(sub(mr, View.PRESCRIBER)).isEqualTo("张建国");
      assertThat(sub(mr, View.OWN_INSTITUTION)).isEqualTo("false");
    }
    MedicationRequest a = rx.stream().filter(mr -> mr.getIdElement().getIdPart().equals(amlodipineRx)).findFirst().orElseThrow();
    assertThat(sub(a, View.DRUG)).startsWith("苯磺酸氨氯地平片");
    assertThat(sub(a, View.DAYS_SUPPLY)).isEqualTo("28");
    assertThat(sub(a, View.DAYS_REMAINING)).isEqualTo("18");
    assertThat(sub(a, View.STOCK)).isEqualTo("stocked");
    assertThat(sub(a, View.EXTENDABLE)).isEqualTo("true");
    assertThat(sub(a, View.DOSAGE)).contains("每日一次");
    MedicationRequest t = rx.get(0);
    assertThat(sub(t, View.STOCK)).isEqualTo("not-stocked");
    assertThat(sub(t, View.EXTENDABLE)).isEqualTo("false");
    assertThat(view(t).getExtensionsByUrl(View.NOT_EXTENDABLE_REASON))
        .anySatisfy(e -> assertThat(e.getValue().primitiveValue()).contains("缺药"));
    MedicationRequest m = rx.stream().filter(mr -> mr.getIdElement().getIdPart().equals(metforminRx)).findFirst().orElseThrow();
    assertThat(sub(m, View.STOCK)).as("same generic name, another product").isEqualTo("generic-available");
    assertThat(view(m).getExtensionsByUrl(View.SUBSTITUTE)).isNotEmpty();
    assertThat(view.getEntry()).anySatisfy(e -> assertThat(e.getResource()).isInstanceOf(Patient.class));

    // The same data by plain FHIR search (chained on the resident ID).
    Bundle search = fx.ok(Bundle.class, fx.get(CLINIC, "MedicationRequest?patient.identifier="
        + enc(IdentifierSystems.RESIDENT_ID + "|" + residentId) + "&status=active"));
    assertThat(search.getEntry()).hasSize(3);

    // The cross-institution read is in the audit trail, findable by patient.
    AuditEvent read = fx.awaitAuditEvent("entity=Patient/" + patientId,
        e -> PrescriptionFixtures.agentIs(e, CLINIC) && PrescriptionFixtures.hasEntity(e, "MedicationRequest/" + amlodipineRx));
    assertThat(read.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
  }

  @Test
  @Order(4)
  void clinicRecognisesThePrescription() {
    Parameters p = new Parameters();
    p.addParameter().setName("note").setValue(new StringType("患者血压平稳，互认原处方"));
    p.addParameter().setName("practitioner").setValue(new Reference("Practitioner/" + clinicDoctor));
    Provenance prov = fx.ok(Provenance.class, fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$recognize", p));
    assertThat(prov.getTargetFirstRep().getReference()).startsWith("MedicationRequest/" + amlodipineRx);
    assertThat(prov.getAgentFirstRep().getWho().getReference()).isEqualTo("Organization/" + clinicOrg);
    assertThat(prov.getActivity().getText()).isEqualTo("互认");
    Provenance again = fx.ok(Provenance.class, fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$recognize", p));
    assertThat(again.getIdElement().getIdPart()).isEqualTo(prov.getIdElement().getIdPart());

    MedicationRequest a = prescriptions(sharedView(CLINIC, Map.of())).stream()
        .filter(mr -> mr.getIdElement().getIdPart().equals(amlodipineRx)).findFirst().orElseThrow();
    assertThat(view(a).getExtensionsByUrl(View.RECOGNITION)).singleElement()
        .satisfies(e -> assertThat(((Reference) e.getValue()).getDisplay()).contains("金星村卫生室").contains("互认"));
  }

  @Test
  @Order(5)
  void extendAtTheClinicCreatesALinkedPrescription() {
    Parameters p = new Parameters();
    p.addParameter().setName("requester").setValue(new Reference("Practitioner/" + clinicDoctor));
    Response r = fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend", p);
    MedicationRequest ext = fx.ok(MedicationRequest.class, r);
    extendedRx = ext.getIdElement().getIdPart();
    assertThat(ext.getPriorPrescription().getReference()).isEqualTo("MedicationRequest/" + amlodipineRx);
    assertThat(ext.getBasedOnFirstRep().getReference()).isEqualTo("MedicationRequest/" + amlodipineRx);
    assertThat(ext.getCategory()).anySatisfy(c -> assertThat(c.getCodingFirstRep().getCode()).isEqualTo("extended"));
    assertThat(ext.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.prescriptionNumberSystem(CLINIC));
    assertThat(ext.getIdentifierFirstRep().getValue()).startsWith("YS");
    assertThat(ext.getExtensionByUrl(org.lianyao.terminology.Extensions.PRESCRIBING_INSTITUTION).getValue())
        .isInstanceOfSatisfying(Reference.class, ref -> assertThat(ref.getReference()).isEqualTo("Organization/" + clinicOrg));
    assertThat(ext.getMedicationReference().getReference()).isEqualTo("Medication/" + amlodipine.getIdElement().getIdPart());
    assertThat(ext.getDosageInstructionFirstRep().getText()).isEqualTo("口服，每日一次，每次1片");
    assertThat(ext.getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("28");
    assertThat(ext.getRequester().getReference()).isEqualTo("Practitioner/" + clinicDoctor);
    assertThat(ext.getSubject().getReference()).isEqualTo("Patient/" + patientId);
    assertThat(ext.getMeta().getProfile()).isNotEmpty();

    // Over 4 weeks without asking for a long-term prescription: refused with the rule.
    Parameters tooLong = new Parameters();
    tooLong.addParameter().setName("requester").setValue(new Reference("Practitioner/" + clinicDoctor));
    tooLong.addParameter().setName("daysSupply").setValue(new IntegerType(56));
    OperationOutcome oo = fx.outcome(fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend", tooLong), 422);
    assertThat(oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("extension-max-days");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("28");
    // Long-term over 4 weeks needs the evaluation; with it, it is made.
    tooLong.addParameter().setName("longTerm").setValue(new BooleanType(true));
    oo = fx.outcome(fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend", tooLong), 422);
    assertThat(oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("long-term-evaluation-missing");
    tooLong.addParameter().setName("evaluation").setValue(new StringType("血压控制稳定，同意8周长期处方"));
    MedicationRequest longTerm = fx.ok(MedicationRequest.class,
        fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend", tooLong));
    assertThat(longTerm.getCategory()).extracting(c -> c.getCodingFirstRep().getCode()).contains("extended", "long-term");
    assertThat(longTerm.getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("4");

    // A doctor of another institution cannot sign the clinic's prescription.
    Parameters stranger = new Parameters();
    stranger.addParameter().setName("requester").setValue(new Reference("Practitioner/" + hospitalDoctor));
    oo = fx.outcome(fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend", stranger), 422);
    assertThat(oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("requester-not-own");
    // Generic only: substitution must be chosen.
    oo = fx.outcome(fx.post(CLINIC, "MedicationRequest/" + metforminRx + "/$extend", p), 422);
    assertThat(oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("substitution-required");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("盐酸二甲双胍片").contains("substitute");
  }

  @Test
  @Order(6)
  void extendOfADrugTheClinicLacksRegistersAShortage() {
    Parameters p = new Parameters();
    p.addParameter().setName("requester").setValue(new Reference("Practitioner/" + clinicDoctor));
    Response r = fx.post(CLINIC, "MedicationRequest/" + tiotropiumRx + "/$extend", p);
    SupplyRequest sr = fx.ok(SupplyRequest.class, r);
    registration = sr.getIdElement().getIdPart();
    assertThat(sr.getStatus()).isEqualTo(SupplyRequest.SupplyRequestStatus.ACTIVE);
    assertThat(ShortageStatus.of(sr)).contains(ShortageStatus.REGISTERED);
    assertThat(sr.getItemReference().getReference()).isEqualTo("Medication/" + tiotropium.getIdElement().getIdPart());
    assertThat(sr.getRequester().getReference()).isEqualTo("Organization/" + clinicOrg);
    assertThat(sr.getDeliverFrom().getReference()).as("the consortium procures").isNotBlank();
    // 30 days asked by the original, capped at 28: 2 boxes scaled and rounded up stay 2.
    assertThat(sr.getQuantity().getValue()).isEqualByComparingTo("2");
    assertThat(sr.getReasonCodeFirstRep().getText()).contains("缺药");
    // No prescription was made at the clinic for it.
    Bundle own = fx.ok(Bundle.class, fx.get(CLINIC, "MedicationRequest?subject=Patient/" + patientId
        + "&institution=Organization/" + clinicOrg));
    assertThat(own.getEntry()).extracting(e -> ((MedicationRequest) e.getResource()).getPriorPrescription().getReference())
        .doesNotContain("MedicationRequest/" + tiotropiumRx);
    // Asked again: the open registration, not a second one.
    SupplyRequest again = fx.ok(SupplyRequest.class, fx.post(CLINIC, "MedicationRequest/" + tiotropiumRx + "/$extend", p));
    assertThat(again.getIdElement().getIdPart()).isEqualTo(registration);

    // Workflow: the committee orders and receives it; going back is refused.
    Parameters ordered = new Parameters();
    ordered.addParameter().setName("status").setValue(new CodeType("ordered"));
    SupplyRequest o = fx.ok(SupplyRequest.class, fx.post("committee", "SupplyRequest/" + registration + "/$shortage-status", ordered));
    assertThat(ShortageStatus.of(o)).contains(ShortageStatus.ORDERED);
    Parameters registered = new Parameters();
    registered.addParameter().setName("status").setValue(new CodeType("cancelled"));
    Parameters delivered = new Parameters();
    delivered.addParameter().setName("status").setValue(new CodeType("delivered"));
    SupplyRequest d = fx.ok(SupplyRequest.class, fx.post(CLINIC, "SupplyRequest/" + registration + "/$shortage-status", delivered));
    assertThat(d.getStatus()).isEqualTo(SupplyRequest.SupplyRequestStatus.COMPLETED);
    OperationOutcome back = fx.outcome(fx.post("committee", "SupplyRequest/" + registration + "/$shortage-status", registered), 422);
    assertThat(back.getIssueFirstRep().getDetails().getText()).contains("已到货");
    // Another member may not touch the clinic's registration.
    fx.outcome(fx.post(PrescriptionFixtures.COMMUNITY, "SupplyRequest/" + registration + "/$shortage-status", registered), 403);

    int year = LocalDate.now().getYear();
    Parameters report = fx.ok(Parameters.class, fx.get("committee", "SupplyRequest/$shortage-report?period=" + year + "-01-01/" + year + "-12-31"));
    assertThat(report.getParameter()).anySatisfy(param -> {
      assertThat(param.getName()).isEqualTo("drug");
      assertThat(param.getPart()).anySatisfy(part -> assertThat(part.getValue())
          .isInstanceOfSatisfying(Reference.class, ref -> assertThat(ref.getReference())
              .isEqualTo("Medication/" + tiotropium.getIdElement().getIdPart())));
    });
  }

  @Test
  @Order(7)
  void afterThePatientRefusesSharingTheClinicSeesNothingAndTheHospitalStillDoes() {
    Parameters deny = new Parameters();
    deny.addParameter().setName("decision").setValue(new CodeType("deny"));
    deny.addParameter().setName("reason").setValue(new StringType("患者签署拒绝共享声明"));
    Consent consent = fx.ok(Consent.class, fx.post(HOSPITAL, "Patient/" + patientId + "/$sharing-consent", deny));
    assertThat(consent.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
    assertThat(consent.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);

    Bundle clinicView = sharedView(CLINIC, Map.of());
    assertThat(prescriptions(clinicView)).as("only the clinic's own extended prescriptions")
        .allSatisfy(mr -> assertThat(sub(mr, View.OWN_INSTITUTION)).isEqualTo("true"))
        .extracting(mr -> mr.getIdElement().getIdPart()).contains(extendedRx)
        .doesNotContain(amlodipineRx, tiotropiumRx, metforminRx);
    assertThat(clinicView.getEntry()).anySatisfy(e -> assertThat(e.getResource())
        .isInstanceOfSatisfying(OperationOutcome.class, oo -> assertThat(oo.getIssueFirstRep().getDetails().getText())
            .contains("拒绝共享")));
    Bundle clinicSearch = fx.ok(Bundle.class, fx.get(CLINIC, "MedicationRequest?patient.identifier="
        + enc(IdentifierSystems.RESIDENT_ID + "|" + residentId)));
    assertThat(clinicSearch.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
        .doesNotContain(amlodipineRx, tiotropiumRx, metforminRx);
    // The same by patient id (a search confined to one patient: consent-checked because he refused).
    Bundle clinicById = fx.ok(Bundle.class, fx.get(CLINIC, "MedicationRequest?subject=Patient/" + patientId));
    assertThat(clinicById.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(extendedRx).doesNotContain(amlodipineRx, tiotropiumRx, metforminRx);
    // A direct read is withheld by the consent service: HAPI answers as if the resource were unknown.
    fx.outcome(fx.get(CLINIC, "MedicationRequest/" + amlodipineRx), 404);
    OperationOutcome refused = fx.outcome(fx.post(CLINIC, "MedicationRequest/" + amlodipineRx + "/$extend",
        new Parameters().addParameter("requester", new Reference("Practitioner/" + clinicDoctor))), 403);
    assertThat(refused.getIssueFirstRep().getDetails().getText()).contains("拒绝共享");

    Bundle hospitalView = sharedView(HOSPITAL, Map.of());
    assertThat(prescriptions(hospitalView)).extracting(mr -> mr.getIdElement().getIdPart())
        .contains(amlodipineRx, tiotropiumRx, metforminRx).doesNotContain(extendedRx);

    // Break-glass: the clinic states a reason, sees them, and the emergency access is audited.
    Bundle emergency = sharedView(CLINIC, Map.of("X-Break-Glass", enc("患者昏迷，急诊抢救需核对用药")));
    assertThat(prescriptions(emergency)).extracting(mr -> mr.getIdElement().getIdPart())
        .contains(amlodipineRx, tiotropiumRx, metforminRx);
    AuditEvent btg = fx.awaitAuditEvent("entity=Patient/" + patientId,
        e -> e.getPurposeOfEvent().stream().anyMatch(p -> "BTG".equals(p.getCodingFirstRep().getCode()))
            && PrescriptionFixtures.agentIs(e, CLINIC));
    assertThat(btg.getEntityFirstRep().getDetailFirstRep().getValueStringType().getValue()).contains("急诊抢救");

    // Withdrawing the refusal restores sharing.
    Parameters permit = new Parameters();
    permit.addParameter().setName("decision").setValue(new CodeType("permit"));
    fx.ok(Consent.class, fx.post(HOSPITAL, "Patient/" + patientId + "/$sharing-consent", permit));
    assertThat(prescriptions(sharedView(CLINIC, Map.of()))).extracting(mr -> mr.getIdElement().getIdPart())
        .contains(amlodipineRx, tiotropiumRx);
  }

  @Test
  @Order(8)
  void theViewNamesTheDoctorAsTheStoreNamesHimNow() {
    // The prescriptions carry only a reference to the doctor: the name comes from the Practitioner.
    Practitioner doctor = fx.ok(Practitioner.class, fx.get("admin", "Practitioner/" + hospitalDoctor));
    String name = doctor.getNameFirstRep().getText();
    assertThat(prescriptions(sharedView(CLINIC, Map.of())))
        .filteredOn(mr -> sub(mr, View.INSTITUTION).equals("示例区人民医院")).isNotEmpty()
        .allSatisfy(mr -> assertThat(sub(mr, View.PRESCRIBER)).isEqualTo(name));
    try {
      doctor.getNameFirstRep().setText(name + "（主任医师）");
      fx.ok(Practitioner.class, fx.put("admin", "Practitioner/" + hospitalDoctor, doctor));
      assertThat(prescriptions(sharedView(CLINIC, Map.of()))).as("a rename shows at once on the writing node")
          .filteredOn(mr -> sub(mr, View.INSTITUTION).equals("示例区人民医院")).isNotEmpty()
          .allSatisfy(mr -> assertThat(sub(mr, View.PRESCRIBER)).isEqualTo(name + "（主任医师）"));
    } finally {
      doctor.getNameFirstRep().setText(name);
      fx.ok(Practitioner.class, fx.put("admin", "Practitioner/" + hospitalDoctor, doctor));
    }
  }
}
