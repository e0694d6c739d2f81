package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.security.SecurityFixtures.CLINIC;
import static org.lianyao.security.SecurityFixtures.COMMUNITY;
import static org.lianyao.security.SecurityFixtures.LEAD;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rights: roles × operations × own/other institution, with real tokens from the embedded
 * authorization server (demo clients) and test-issuer tokens for roles without a demo client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationIT extends PostgresIntegrationTest {

  @Autowired
  private javax.sql.DataSource dataSource;

  private SecurityFixtures fx;
  private String leadOrg;
  private String communityOrg;
  private String clinicOrg;
  private String patient;
  private String leadDoctor;
  private String clinicDoctor;
  private String consortiumFormulary;

  @BeforeAll
  void fixtures() {
    fx = new SecurityFixtures(baseUrl(), fhirContext);
    leadOrg = fx.orgId(LEAD);
    communityOrg = fx.orgId(COMMUNITY);
    clinicOrg = fx.orgId(CLINIC);
    patient = fx.demoPatientId();
    leadDoctor = fx.practitionerId(LEAD, "D0101");
    clinicDoctor = fx.practitionerId(CLINIC, "D0401");
    consortiumFormulary = fx.demoConsortiumFormularyId();
  }

  @Test
  void villageClinicCannotPrescribeForTheLeadHospitalButCanForItself() {
    String clinic = token(CLINIC);
    Response forLead = fx.create(clinic, SecurityFixtures.prescription(leadOrg, LEAD, patient, clinicDoctor));
    assertThat(forLead.status()).isEqualTo(403);
    OperationOutcome oo = fhirContext.newJsonParser().parseResource(OperationOutcome.class, forLead.body());
    assertThat(oo.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("拒绝访问").contains("本机构").contains(CLINIC);
    assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("prescribing-institution");

    Response own = fx.create(clinic, SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor));
    assertThat(own.status()).as(own.body()).isEqualTo(201);

    AuditEvent denial = fx.awaitAuditEvent("altid=" + CLINIC + "&type=http://dicom.nema.org/resources/ontology/DCM%7C110113",
        e -> "POST /fhir/MedicationRequest".equals(e.getEntityFirstRep().getDescription())
            && e.getOutcomeDesc().contains("prescribing-institution"));
    assertThat(denial.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    assertThat(denial.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(denial.getEntityFirstRep().getDetailFirstRep().getValueStringType().getValue())
        .isEqualTo("own-institution:" + CLINIC);
  }

  private record Case(String name, Supplier<String> token, String method, String path, Supplier<IBaseResource> body,
      int expected, String bodyContains) {}

  @TestFactory
  Stream<DynamicTest> rolesTimesOperationsTimesInstitution() {
    Supplier<String> his = () -> token(CLINIC);
    Supplier<String> committee = () -> token("committee");
    Supplier<String> auditor = () -> token("auditor");
    Supplier<String> admin = () -> token("admin");
    Supplier<String> pharmacist = () -> TestTokens.testIssuerToken(TestTokens.claims("test-pharmacy", "pharmacist",
        COMMUNITY, "system/*.rs system/MedicationDispense.cu system/SupplyRequest.cud").build());
    Supplier<String> trace = () -> TestTokens.testIssuerToken(TestTokens.claims("test-trace", "trace-platform", null,
        "system/MedicationDispense.rs system/Medication.rs system/Organization.rs").build());

    List<Case> cases = new ArrayList<>();
    // A village clinic's HIS: its own prescriptions, dispenses, shortages and member formulary.
    cases.add(new Case("his: own prescription", his, "POST", "MedicationRequest",
        () -> SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor), 201, null));
    cases.add(new Case("his: prescription of another institution", his, "POST", "MedicationRequest",
        () -> SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor), 403, "prescribing-institution"));
    cases.add(new Case("his: own prescription numbered in another institution's system", his, "POST",
        "MedicationRequest", () -> SecurityFixtures.prescription(clinicOrg, LEAD, patient, clinicDoctor), 403,
        "identifier"));
    cases.add(new Case("his: prescription without any institution", his, "POST", "MedicationRequest", () -> {
      MedicationRequest mr = SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor);
      mr.getExtension().removeIf(e -> Extensions.PRESCRIBING_INSTITUTION.equals(e.getUrl()));
      return mr;
    }, 403, "cannot attribute"));
    cases.add(new Case("his: prescribing institution by NHSA identifier", his, "POST", "MedicationRequest", () -> {
      MedicationRequest mr = SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor);
      mr.getExtensionByUrl(Extensions.PRESCRIBING_INSTITUTION).setValue(new Reference().setIdentifier(
          new org.hl7.fhir.r4.model.Identifier().setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE).setValue(CLINIC)));
      return mr;
    }, 201, null));
    cases.add(new Case("his: own dispense", his, "POST", "MedicationDispense",
        () -> SecurityFixtures.dispense(clinicOrg, patient), 201, null));
    cases.add(new Case("his: dispense of another institution", his, "POST", "MedicationDispense",
        () -> SecurityFixtures.dispense(leadOrg, patient), 403, "dispensing-institution"));
    cases.add(new Case("his: own shortage registration", his, "POST", "SupplyRequest",
        () -> SecurityFixtures.shortage(clinicOrg), 201, null));
    cases.add(new Case("his: shortage registration of another institution", his, "POST", "SupplyRequest",
        () -> SecurityFixtures.shortage(leadOrg), 403, "requester"));
    cases.add(new Case("his: own member formulary", his, "POST", "InsurancePlan",
        () -> SecurityFixtures.formulary(clinicOrg, "member", consortiumFormulary), 201, null));
    cases.add(new Case("his: member formulary of another institution", his, "POST", "InsurancePlan",
        () -> SecurityFixtures.formulary(leadOrg, "member", consortiumFormulary), 403, "ownedBy"));
    cases.add(new Case("his: consortium formulary", his, "POST", "InsurancePlan",
        () -> SecurityFixtures.formulary(clinicOrg, "consortium"), 403, "member formulary"));
    cases.add(new Case("his: patient (shared master data)", his, "POST", "Patient",
        () -> SecurityFixtures.patient(SecurityFixtures.residentId(), "测试患者"), 201, null));
    cases.add(new Case("his: practitioner (shared master data)", his, "POST", "Practitioner",
        SecurityFixtures::practitioner, 201, null));
    cases.add(new Case("his: catalog medication", his, "POST", "Medication", SecurityFixtures::medication, 403,
        "Medication"));
    cases.add(new Case("his: organisation", his, "POST", "Organization", SecurityFixtures::organization, 403,
        "Organization"));
    cases.add(new Case("his: terminology", his, "POST", "CodeSystem", SecurityFixtures::codeSystem, 403, "CodeSystem"));
    cases.add(new Case("his: audit trail", his, "GET", "AuditEvent", null, 403, "AuditEvent"));
    cases.add(new Case("his: prescriptions of the consortium", his, "GET", "MedicationRequest?subject=Patient/" + patient,
        null, 200, null));
    cases.add(new Case("his: whole patient record", his, "GET", "Patient/" + patient + "/$everything", null, 403,
        "$everything"));
    cases.add(new Case("his: server maintenance operation", his, "GET", "$get-resource-counts", null, 403,
        "$get-resource-counts"));
    // Pharmacist of the community centre.
    cases.add(new Case("pharmacist: own dispense", pharmacist, "POST", "MedicationDispense",
        () -> SecurityFixtures.dispense(communityOrg, patient), 201, null));
    cases.add(new Case("pharmacist: dispense of another institution", pharmacist, "POST", "MedicationDispense",
        () -> SecurityFixtures.dispense(leadOrg, patient), 403, "dispensing-institution"));
    cases.add(new Case("pharmacist: prescription", pharmacist, "POST", "MedicationRequest",
        () -> SecurityFixtures.prescription(communityOrg, COMMUNITY, patient, leadDoctor), 403, "pharmacist"));
    cases.add(new Case("pharmacist: reads patients", pharmacist, "GET", "Patient?_count=1", null, 200, null));
    // Pharmacy committee: consortium formulary and catalog.
    cases.add(new Case("committee: consortium formulary", committee, "POST", "InsurancePlan",
        () -> SecurityFixtures.formulary(leadOrg, "consortium"), 201, null));
    cases.add(new Case("committee: catalog medication", committee, "POST", "Medication", SecurityFixtures::medication,
        201, null));
    cases.add(new Case("committee: prescription", committee, "POST", "MedicationRequest",
        () -> SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor), 403, "committee"));
    cases.add(new Case("committee: terminology", committee, "POST", "CodeSystem", SecurityFixtures::codeSystem, 403,
        "CodeSystem"));
    cases.add(new Case("committee: patients", committee, "GET", "Patient", null, 403, "Patient"));
    cases.add(new Case("committee: shortage registrations", committee, "GET", "SupplyRequest", null, 200, null));
    // Auditor: the audit trail and nothing else.
    cases.add(new Case("auditor: audit trail", auditor, "GET", "AuditEvent?_count=1", null, 200, null));
    cases.add(new Case("auditor: patients", auditor, "GET", "Patient", null, 403, "Patient"));
    cases.add(new Case("auditor: prescriptions", auditor, "GET", "MedicationRequest", null, 403, "MedicationRequest"));
    cases.add(new Case("auditor: writes", auditor, "POST", "Patient",
        () -> SecurityFixtures.patient(SecurityFixtures.residentId(), "审计测试"), 403, "Patient"));
    // Platform administrator: terminology, profiles, institutions; never prescriptions.
    cases.add(new Case("admin: terminology", admin, "POST", "CodeSystem", SecurityFixtures::codeSystem, 201, null));
    cases.add(new Case("admin: organisation", admin, "POST", "Organization", SecurityFixtures::organization, 201, null));
    cases.add(new Case("admin: prescription", admin, "POST", "MedicationRequest",
        () -> SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor), 403, "MedicationRequest"));
    cases.add(new Case("admin: audit trail", admin, "GET", "AuditEvent?_count=1", null, 200, null));
    cases.add(new Case("admin: server maintenance operation", admin, "GET", "$get-resource-counts", null, 200, null));
    // Traceability platform: dispenses only.
    cases.add(new Case("trace-platform: dispenses", trace, "GET", "MedicationDispense?_count=5", null, 200, null));
    cases.add(new Case("trace-platform: prescriptions", trace, "GET", "MedicationRequest", null, 403,
        "MedicationRequest"));
    cases.add(new Case("trace-platform: writes dispenses", trace, "POST", "MedicationDispense",
        () -> SecurityFixtures.dispense(clinicOrg, patient), 403, "MedicationDispense"));

    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      String url = baseUrl() + "/fhir/" + c.path();
      Response r = TestTokens.send(c.method(), url, c.token().get(), c.body() == null ? null : fx.json(c.body().get()));
      assertThat(r.status()).as(c.name() + ": " + r.body()).isEqualTo(c.expected());
      if (c.expected() == 403) {
        OperationOutcome oo = fhirContext.newJsonParser().parseResource(OperationOutcome.class, r.body());
        assertThat(oo.getIssueFirstRep().getDetails().getText()).as(c.name()).startsWith("拒绝访问");
        if (c.bodyContains() != null) {
          assertThat(oo.getIssueFirstRep().getDiagnostics()).as(c.name()).contains(c.bodyContains());
        }
      }
    }));
  }

  @Test
  void anUpdateCannotTakeOverAnotherInstitutionsPrescription() {
    String clinicMr = fx.createdId(fx.create(token(CLINIC),
        SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor)));
    // The new content is entirely the lead hospital's: only the stored version betrays the take-over.
    MedicationRequest takeover = SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor);
    takeover.setId(clinicMr);
    Response r = TestTokens.send("PUT", baseUrl() + "/fhir/MedicationRequest/" + clinicMr, token(LEAD), fx.json(takeover));
    assertThat(r.status()).as(r.body()).isEqualTo(403);

    // Its owner can change it (cancel), and can resubmit idempotently with a conditional update.
    MedicationRequest cancel = SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor);
    cancel.setId(clinicMr);
    cancel.setStatus(MedicationRequest.MedicationRequestStatus.CANCELLED);
    assertThat(TestTokens.send("PUT", baseUrl() + "/fhir/MedicationRequest/" + clinicMr, token(CLINIC),
        fx.json(cancel)).status()).isEqualTo(200);

    MedicationRequest resubmitted = SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor);
    String number = resubmitted.getIdentifierFirstRep().getValue();
    String conditional = baseUrl() + "/fhir/MedicationRequest?identifier="
        + IdentifierSystems.prescriptionNumberSystem(CLINIC) + "%7C" + number;
    assertThat(TestTokens.send("PUT", conditional, token(CLINIC), fx.json(resubmitted)).status()).isEqualTo(201);
    assertThat(TestTokens.send("PUT", conditional, token(CLINIC), fx.json(resubmitted)).status()).isEqualTo(200);
    // … but not with another institution's content under its own conditional URL.
    MedicationRequest foreign = SecurityFixtures.prescription(leadOrg, CLINIC, patient, clinicDoctor);
    foreign.getIdentifierFirstRep().setValue(number);
    assertThat(TestTokens.send("PUT", conditional, token(CLINIC), fx.json(foreign)).status()).isEqualTo(403);
  }

  @Test
  void deletesAreLimitedToOwnShortageRegistrations() {
    String own = fx.createdId(fx.create(token(CLINIC), SecurityFixtures.shortage(clinicOrg)));
    String leads = fx.createdId(fx.create(token(LEAD), SecurityFixtures.shortage(leadOrg)));
    String prescription = fx.createdId(fx.create(token(CLINIC),
        SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor)));

    assertThat(TestTokens.send("DELETE", baseUrl() + "/fhir/SupplyRequest/" + leads, token(CLINIC), null).status())
        .isEqualTo(403);
    assertThat(TestTokens.send("DELETE", baseUrl() + "/fhir/MedicationRequest/" + prescription, token(CLINIC), null)
        .status()).as("prescriptions are cancelled, not deleted").isEqualTo(403);
    assertThat(TestTokens.send("DELETE", baseUrl() + "/fhir/SupplyRequest/" + own, token(CLINIC), null).status())
        .isIn(200, 204);
  }

  @Test
  void transactionEntriesMeetTheSameRules() {
    Bundle mixed = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    mixed.addEntry().setResource(SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest");
    mixed.addEntry().setResource(SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest");
    Response refused = TestTokens.send("POST", baseUrl() + "/fhir", token(CLINIC), fx.json(mixed));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("prescribing-institution");

    Bundle own = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    own.addEntry().setResource(SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest");
    own.addEntry().setResource(SecurityFixtures.shortage(clinicOrg))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("SupplyRequest");
    Response accepted = TestTokens.send("POST", baseUrl() + "/fhir", token(CLINIC), fx.json(own));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
  }

  @Test
  void membersReadEachOthersPrescriptionsAndEveryCrossInstitutionReadIsAudited() {
    String mr = fx.createdId(fx.create(token(CLINIC), SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor)));
    Response read = TestTokens.get(baseUrl() + "/fhir/MedicationRequest/" + mr, token(LEAD));
    assertThat(read.status()).isEqualTo(200);

    AuditEvent event = fx.awaitAuditEvent("altid=" + LEAD + "&entity=MedicationRequest/" + mr, e -> true);
    assertThat(event.getType().getCode()).isEqualTo("rest");
    assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
    assertThat(event.getEntity()).anyMatch(e -> ("Patient/" + patient).equals(e.getWhat().getReference()));

    // Reading its own prescription is not a cross-institution read.
    Response ownRead = TestTokens.get(baseUrl() + "/fhir/MedicationRequest/" + mr, token(CLINIC));
    assertThat(ownRead.status()).isEqualTo(200);
  }

  @Test
  void aSearchReturnsWhatTheCallerMaySeeInsteadOfFailing() {
    fx.createdId(fx.create(token(CLINIC), SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor)));
    fx.createdId(fx.create(token(LEAD), SecurityFixtures.prescription(leadOrg, LEAD, patient, leadDoctor)));
    String search = baseUrl() + "/fhir/MedicationRequest?subject=Patient/" + patient + "&_count=200";

    Bundle member = bundle(TestTokens.get(search, token(COMMUNITY)));
    assertThat(member.getEntry()).hasSizeGreaterThanOrEqualTo(2);

    // A HIS whose institution is not (or no longer) a registered member sees none of it.
    String outsider = TestTokens.testIssuerToken(TestTokens.claims("test-outsider", "his", "H50099999999",
        "system/*.rs system/MedicationRequest.cu").build());
    Response outsiderSearch = TestTokens.get(search, outsider);
    assertThat(outsiderSearch.status()).isEqualTo(200);
    assertThat(bundle(outsiderSearch).getEntry()).isEmpty();
    fx.awaitAuditEvent("altid=test-outsider", e -> e.getOutcomeDesc().contains("withheld"));
    // … nor may it write in a name that is not registered.
    Response write = fx.create(outsider, SecurityFixtures.prescription(clinicOrg, "H50099999999", patient, clinicDoctor));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.body()).contains("registered");

    // Types a role may not read are left out of _include results rather than failing the search.
    String mr = fx.createdId(fx.create(token(CLINIC), SecurityFixtures.prescription(clinicOrg, CLINIC, patient, clinicDoctor)));
    assertThat(TestTokens.get(baseUrl() + "/fhir/MedicationRequest/" + mr, token(LEAD)).status()).isEqualTo(200);
    fx.awaitAuditEvent("entity=MedicationRequest/" + mr, e -> true);
    Response withInclude = TestTokens.get(baseUrl() + "/fhir/AuditEvent?entity=MedicationRequest/" + mr
        + "&_include=AuditEvent:entity", token("auditor"));
    Bundle included = bundle(withInclude);
    assertThat(included.getEntry()).anyMatch(e -> e.getResource() instanceof AuditEvent);
    assertThat(included.getEntry()).noneMatch(e -> e.getResource() instanceof MedicationRequest
        || e.getResource() instanceof org.hl7.fhir.r4.model.Patient);
    // The administrator may see them.
    Bundle forAdmin = bundle(TestTokens.get(baseUrl() + "/fhir/AuditEvent?entity=MedicationRequest/" + mr
        + "&_include=AuditEvent:entity", token("admin")));
    assertThat(forAdmin.getEntry()).anyMatch(e -> e.getResource() instanceof MedicationRequest);

    // Entity type and role are not indexed (lianyao.fhir.unindexed-search-parameters): no index rows,
    // and a search by them is refused rather than answered with nothing.
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Integer entityTypeRows = jdbc.queryForObject("select count(*) from HFJ_SPIDX_TOKEN"
        + " where RES_TYPE = 'AuditEvent' and SP_NAME in ('entity-type', 'entity-role')", Integer.class);
    assertThat(entityTypeRows).isZero();
    Integer entityRows = jdbc.queryForObject("select count(*) from HFJ_RES_LINK"
        + " where SOURCE_RESOURCE_TYPE = 'AuditEvent' and SRC_PATH like 'AuditEvent.entity%'", Integer.class);
    assertThat(entityRows).isPositive();
    Response byEntityType = TestTokens.get(baseUrl() + "/fhir/AuditEvent?entity-type=2", token("auditor"));
    assertThat(byEntityType.status()).as(byEntityType.body()).isEqualTo(400);
    assertThat(byEntityType.body()).contains("entity-type");
  }

  private Bundle bundle(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return fhirContext.newJsonParser().parseResource(Bundle.class, r.body());
  }
}
