package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.profiles.LianyaoProfiles;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.TestTokens;
import org.lianyao.testsupport.TestTokens.Response;

/** Prescriptions, patients and look-ups of the demo consortium for the prescription tests. */
final class PrescriptionFixtures {

  static final String HOSPITAL = "H50011200001";
  static final String COMMUNITY = "H50011200002";
  static final String CLINIC = "H50011200004";

  final String base;
  final FhirContext ctx;

  PrescriptionFixtures(String base, FhirContext ctx) {
    this.base = base;
    this.ctx = ctx;
  }

  String token(String client) {
    return TestTokens.token(base, client);
  }

  // ---------------------------------------------------------------------------------- HTTP

  Response get(String client, String path) {
    return TestTokens.get(base + "/fhir/" + path, token(client), Map.of("Cache-Control", "no-cache"));
  }

  Response get(String client, String path, Map<String, String> headers) {
    java.util.Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Cache-Control", "no-cache");
    return TestTokens.get(base + "/fhir/" + path, token(client), all);
  }

  Response post(String client, String path, IBaseResource body) {
    return TestTokens.send("POST", base + "/fhir/" + path, token(client),
        body == null ? null : ctx.newJsonParser().encodeResourceToString(body));
  }

  Response put(String client, String path, IBaseResource body) {
    return TestTokens.send("PUT", base + "/fhir/" + path, token(client), ctx.newJsonParser().encodeResourceToString(body));
  }

  Response delete(String client, String path) {
    return TestTokens.send("DELETE", base + "/fhir/" + path, token(client), null);
  }

  <T extends IBaseResource> T parse(Class<T> type, Response r) {
    return ctx.newJsonParser().parseResource(type, r.body());
  }

  <T extends IBaseResource> T ok(Class<T> type, Response r) {
    assertThat(r.status()).as(r.body()).isBetween(200, 201);
    return parse(type, r);
  }

  OperationOutcome outcome(Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return parse(OperationOutcome.class, r);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------ look-ups

  String firstId(String path) {
    Bundle b = ok(Bundle.class, get("admin", path));
    assertThat(b.getEntry()).as(path).isNotEmpty();
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  String orgId(String nhsaCode) {
    return firstId("Organization?identifier=" + enc(IdentifierSystems.NHSA_INSTITUTION_CODE + "|" + nhsaCode));
  }

  String practitionerId(String nhsaCode, String code) {
    return firstId("Practitioner?identifier=" + enc(IdentifierSystems.practitionerCodeSystem(nhsaCode) + "|" + code));
  }

  /** The products (Medications) a formulary version lists, by its identifier (e.g. {@code H50011200004-2025}). */
  List<Medication> formularyProducts(String formularyIdentifier) {
    String planId = firstId("InsurancePlan?identifier=" + enc(IdentifierSystems.FORMULARY + "|" + formularyIdentifier));
    Bundle b = ok(Bundle.class, get("admin", "Basic?formulary=InsurancePlan/" + planId + "&_include=Basic:subject&_count=500"));
    List<Medication> meds = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.getResource() instanceof Medication m) {
        meds.add(m);
      }
    }
    return meds;
  }

  static Medication product(List<Medication> products, String genericName, Predicate<String> manufacturer) {
    return products.stream().filter(m -> genericName.equals(m.getCode().getText())
        && manufacturer.test(m.getManufacturer().getDisplay())).findFirst().orElse(null);
  }

  // ------------------------------------------------------------------------------ resources

  /** A fresh, valid resident ID (GB 11643) of a man born on the given date. */
  static String residentId(LocalDate birth) {
    int seq = ThreadLocalRandom.current().nextInt(0, 500) * 2 + 1;
    String body = "500112" + birth.toString().replace("-", "") + String.format("%03d", seq);
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * w[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  static Patient patient(String residentId, LocalDate birth, String name) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue(residentId)
        .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "NI", null)).setText("居民身份证"));
    p.addName().setText(name).setFamily(name.substring(0, 1)).addGiven(name.substring(1));
    p.setGender(Enumerations.AdministrativeGender.MALE);
    p.setBirthDate(java.sql.Date.valueOf(birth));
    return p;
  }

  /** A complete prescription line of the county hospital (or another institution). */
  static MedicationRequest prescription(String orgId, String nhsaCode, String number, String patientRef,
      String practitionerId, int days, int writtenDaysAgo) {
    MedicationRequest mr = new MedicationRequest();
    mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, new Reference("Organization/" + orgId));
    mr.addIdentifier().setSystem(IdentifierSystems.prescriptionNumberSystem(nhsaCode)).setValue(number)
        .setAssigner(new Reference("Organization/" + orgId));
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY, "ordinary", "普通")));
    mr.setSubject(new Reference(patientRef));
    mr.setAuthoredOn(Date.from(Instant.now().minus(writtenDaysAgo, ChronoUnit.DAYS)));
    mr.setRequester(new Reference("Practitioner/" + practitionerId));
    mr.addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cn", "I10.x00", "高血压")
        .setVersion("医保版2.0")).setText("高血压"));
    var dosage = mr.addDosageInstruction().setText("口服，每日一次，每次1片");
    dosage.getTiming().setCode(new CodeableConcept(new Coding(CodeSystems.FREQUENCY, "9", "每日一次（qd）")));
    dosage.setRoute(new CodeableConcept(new Coding(CodeSystems.ROUTE, "1", "口服")));
    mr.getDispenseRequest().setQuantity(new Quantity().setValue(2).setUnit("盒"));
    mr.getDispenseRequest().setExpectedSupplyDuration((org.hl7.fhir.r4.model.Duration) new org.hl7.fhir.r4.model.Duration()
        .setValue(days).setUnit("天").setSystem("http://unitsofmeasure.org").setCode("d"));
    return mr;
  }

  static void makeLongTerm(MedicationRequest mr, String evaluationNote, String practitionerId) {
    mr.getCategory().clear();
    mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY, "long-term", "长期处方")));
    if (evaluationNote != null) {
      Extension e = new Extension(LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION);
      e.addExtension("date", new org.hl7.fhir.r4.model.DateTimeType(new Date()));
      e.addExtension("assessor", new Reference("Practitioner/" + practitionerId));
      e.addExtension("note", new org.hl7.fhir.r4.model.StringType(evaluationNote));
      mr.addExtension(e);
    }
  }

  static String number() {
    return "CF" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
  }

  /** Conditional create of a prescription line: institution's number + drug (the profile's line key). */
  static String ifNoneExist(MedicationRequest mr) {
    var id = mr.getIdentifierFirstRep();
    String url = "identifier=" + enc(id.getSystem() + "|" + id.getValue());
    if (mr.hasMedicationReference()) {
      return url + "&medication=" + enc(mr.getMedicationReference().getReference());
    }
    Coding c = mr.getMedicationCodeableConcept().getCodingFirstRep();
    return url + "&code=" + enc(c.getSystem() + "|" + c.getCode());
  }

  // ---------------------------------------------------------------------------------- audit

  AuditEvent awaitAuditEvent(String query, Predicate<AuditEvent> match) {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(30).toMillis();
    int seen = 0;
    while (System.currentTimeMillis() < deadline) {
      Response r = get("auditor", "AuditEvent?_count=100&_sort=-_lastUpdated&" + query);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      Bundle b = parse(Bundle.class, r);
      seen = b.getEntry().size();
      for (Bundle.BundleEntryComponent e : b.getEntry()) {
        if (e.getResource() instanceof AuditEvent a && match.test(a)) {
          return a;
        }
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("No matching AuditEvent for " + query + "; saw " + seen + " events");
  }

  static boolean agentIs(AuditEvent e, String clientId) {
    return e.getAgent().stream().anyMatch(a -> clientId.equals(a.getAltId()));
  }

  static boolean hasEntity(AuditEvent e, String reference) {
    return e.getEntity().stream().anyMatch(en -> reference.equals(en.getWhat().getReference()));
  }
}
