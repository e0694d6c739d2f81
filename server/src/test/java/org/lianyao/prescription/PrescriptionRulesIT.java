package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.prescription.PrescriptionFixtures.HOSPITAL;
import static org.lianyao.prescription.PrescriptionFixtures.enc;

import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens.Response;

/**
 * Rules applied to every posted prescription and patient: long-term prescriptions (长期处方管理规范),
 * status changes, unmatched drugs and unlinkable patients flagged, and the operations' refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrescriptionRulesIT extends PostgresIntegrationTest {

  private PrescriptionFixtures fx;
  private String hospitalOrg;
  private String doctor;
  private String patientRef;
  private Medication amlodipine;
  private Medication amoxicillin;

  @BeforeAll
  void fixtures() {
    fx = new PrescriptionFixtures(baseUrl(), fhirContext);
    hospitalOrg = fx.orgId(HOSPITAL);
    doctor = fx.practitionerId(HOSPITAL, "D0101");
    LocalDate birth = LocalDate.of(1950, 2, 3);
    Patient p = fx.ok(Patient.class, fx.post(HOSPITAL, "Patient",
        PrescriptionFixtures.patient(PrescriptionFixtures.residentId(birth), birth, "规则患者")));
    patientRef = "Patient/" + p.getIdElement().getIdPart();
    List<Medication> catalog = fx.formularyProducts("YGT-2025");
    amlodipine = PrescriptionFixtures.product(catalog, "苯磺酸氨氯地平片", m -> true);
    amoxicillin = PrescriptionFixtures.product(catalog, "阿莫西林胶囊", m -> true);
    assertThat(amoxicillin.getExtensionsByUrl(Extensions.DRUG_CONTROL_CLASS))
        .as("demo catalog: amoxicillin is an antimicrobial")
        .anySatisfy(e -> assertThat(((Coding) e.getValue()).getCode()).isEqualTo("antimicrobial"));
  }

  private MedicationRequest rx(Medication drug, int days) {
    MedicationRequest mr = PrescriptionFixtures.prescription(hospitalOrg, HOSPITAL, PrescriptionFixtures.number(),
        patientRef, doctor, days, 1);
    mr.setMedication(new Reference("Medication/" + drug.getIdElement().getIdPart()));
    return mr;
  }

  private static String rule(OperationOutcome oo) {
    return oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
  }

  @Test
  void longTermPrescriptionsFollowTheNationalRules() {
    MedicationRequest tooLong = rx(amlodipine, 90);
    PrescriptionFixtures.makeLongTerm(tooLong, "病情稳定", doctor);
    OperationOutcome oo = fx.outcome(fx.post(HOSPITAL, "MedicationRequest", tooLong), 422);
    assertThat(rule(oo)).isEqualTo("long-term-max-days");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("84").contains("12周");

    MedicationRequest unevaluated = rx(amlodipine, 56);
    PrescriptionFixtures.makeLongTerm(unevaluated, null, doctor);
    assertThat(rule(fx.outcome(fx.post(HOSPITAL, "MedicationRequest", unevaluated), 422)))
        .isEqualTo("long-term-evaluation-missing");

    MedicationRequest evaluated = rx(amlodipine, 56);
    PrescriptionFixtures.makeLongTerm(evaluated, "近3个月血压稳定，同意8周长期处方", doctor);
    assertThat(fx.post(HOSPITAL, "MedicationRequest", evaluated).status()).isEqualTo(201);

    MedicationRequest antimicrobial = rx(amoxicillin, 28);
    PrescriptionFixtures.makeLongTerm(antimicrobial, null, doctor);
    oo = fx.outcome(fx.post(HOSPITAL, "MedicationRequest", antimicrobial), 422);
    assertThat(rule(oo)).isEqualTo("long-term-drug-class");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("抗菌药物");
    // Ordinary (not long-term) antimicrobial prescriptions are not this rule's business.
    assertThat(fx.post(HOSPITAL, "MedicationRequest", rx(amoxicillin, 7)).status()).isEqualTo(201);
  }

  @Test
  void finishedPrescriptionsDoNotComeBack() {
    MedicationRequest mr = rx(amlodipine, 14);
    String url = "MedicationRequest?" + PrescriptionFixtures.ifNoneExist(mr);
    assertThat(fx.put(HOSPITAL, url, mr).status()).isEqualTo(201);
    mr.setStatus(MedicationRequest.MedicationRequestStatus.CANCELLED);
    assertThat(fx.put(HOSPITAL, url, mr).status()).as("cancel by conditional update").isEqualTo(200);
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    OperationOutcome oo = fx.outcome(fx.put(HOSPITAL, url, mr), 422);
    assertThat(rule(oo)).isEqualTo("status-transition");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("entered-in-error");
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ENTEREDINERROR);
    assertThat(fx.put(HOSPITAL, url, mr).status()).isEqualTo(200);
  }

  @Test
  void unmatchedDrugsAndUnlinkablePatientsAreKeptAndFlagged() {
    MedicationRequest local = rx(amlodipine, 7);
    local.setMedication(new CodeableConcept(new Coding(CodeSystems.localDrugSystem(HOSPITAL), "YP9999", "院内制剂"))
        .setText("院内自制止咳合剂"));
    MedicationRequest stored = fx.ok(MedicationRequest.class, fx.post(HOSPITAL, "MedicationRequest", local));
    assertThat(stored.getMeta().getTag()).anySatisfy(t -> assertThat(t.getCode()).isEqualTo("unmatched-drug"));
    Bundle flagged = fx.ok(Bundle.class, fx.get(HOSPITAL, "MedicationRequest?_tag="
        + enc(CodeSystems.DATA_QUALITY + "|unmatched-drug") + "&subject=" + patientRef));
    assertThat(flagged.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(stored.getIdElement().getIdPart());

    Patient localOnly = new Patient();
    localOnly.addIdentifier().setSystem(IdentifierSystems.localRecordNumberSystem(HOSPITAL))
        .setValue("MZ" + System.nanoTime());
    localOnly.addName().setText("无证患者");
    Patient p = fx.ok(Patient.class, fx.post(HOSPITAL, "Patient", localOnly));
    assertThat(p.getMeta().getTag()).anySatisfy(t -> assertThat(t.getCode()).isEqualTo("unlinkable-patient"));
  }

  @Test
  void operationsRefuseWithChineseReasons() {
    MedicationRequest own = fx.ok(MedicationRequest.class, fx.post(HOSPITAL, "MedicationRequest", rx(amlodipine, 14)));
    Parameters p = new Parameters().addParameter("requester", new Reference("Practitioner/" + doctor));
    OperationOutcome oo = fx.outcome(fx.post(HOSPITAL, "MedicationRequest/" + own.getIdElement().getIdPart() + "/$extend", p), 422);
    assertThat(rule(oo)).isEqualTo("original-own-institution");
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("本机构");

    oo = fx.outcome(fx.post(HOSPITAL, "MedicationRequest/" + own.getIdElement().getIdPart() + "/$extend", new Parameters()), 400);
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("requester");

    Response unknown = fx.get(PrescriptionFixtures.CLINIC, "Patient/$shared-prescriptions?identifier="
        + PrescriptionFixtures.residentId(LocalDate.of(1990, 1, 1)));
    assertThat(fx.outcome(unknown, 404).getIssueFirstRep().getDetails().getText()).contains("未找到");

    // A known patient without active prescriptions: an empty view that still names the patient.
    LocalDate birth = LocalDate.of(1962, 7, 8);
    String quietId = PrescriptionFixtures.residentId(birth);
    Patient quiet = fx.ok(Patient.class, fx.post(HOSPITAL, "Patient", PrescriptionFixtures.patient(quietId, birth, "无处方患者")));
    Bundle empty = fx.ok(Bundle.class, fx.get(PrescriptionFixtures.CLINIC, "Patient/$shared-prescriptions?identifier=" + quietId));
    assertThat(empty.getTotal()).isZero();
    assertThat(empty.getEntry()).singleElement().satisfies(e -> {
      assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(quiet.getIdElement().getIdPart());
      assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
    });

    // Roles without the grant cannot use the operations at all.
    Response auditor = fx.get("auditor", patientRef + "/$shared-prescriptions");
    assertThat(auditor.status()).isEqualTo(403);

    // The extension's own view of a hospital patient: it is the hospital's own prescription.
    Bundle view = fx.ok(Bundle.class, fx.get(HOSPITAL, patientRef + "/$shared-prescriptions"));
    MedicationRequest shown = view.getEntry().stream().filter(e -> e.getResource() instanceof MedicationRequest)
        .map(e -> (MedicationRequest) e.getResource())
        .filter(mr -> mr.getIdElement().getIdPart().equals(own.getIdElement().getIdPart())).findFirst().orElseThrow();
    Extension v = shown.getExtensionByUrl(PrescriptionCodes.EXT_SHARED_VIEW);
    assertThat(v.getExtensionByUrl(PrescriptionCodes.View.OWN_INSTITUTION).getValue().primitiveValue()).isEqualTo("true");
    assertThat(v.getExtensionByUrl(PrescriptionCodes.View.EXTENDABLE).getValue().primitiveValue()).isEqualTo("false");
  }
}
