package org.lianyao.prescription;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Timing;
import org.lianyao.demo.DemoConsortiumLoader;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.StockStatus;
import org.lianyao.prescription.stock.MemberFormularies;
import org.lianyao.prescription.stock.StockAnswer;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.profiles.LianyaoProfiles;
import org.lianyao.security.Caller;
import org.lianyao.security.Role;
import org.lianyao.security.SmartScopes;
import org.lianyao.shortage.ShortageRegistrations;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Demo prescriptions (issue #7 item 9): the county hospital's prescriptions for demo patients with
 * hypertension, diabetes, COPD and coronary disease; recognitions and extensions at the community
 * centre and the village clinic through the same services as {@code $recognize} and {@code $extend};
 * one shortage registration (the village clinic lacks the COPD inhaler). Data:
 * {@code org/lianyao/prescription/demo/prescriptions.json}.
 *
 * <p>A loader step rather than a {@code demo/*.json} bundle: it needs the products of the demo
 * formularies, which {@code FormularyDemoLoader} (order 110) imports after the demo bundles, and a
 * bundle named {@code 50-…} would sort before {@code consortium.json}. Idempotent: prescriptions by
 * conditional create on number + drug, extensions by their fixed numbers, recognitions and
 * registrations found before they are made; a restart with unchanged data skips it
 * ({@link org.lianyao.demo.DemoLoadRecord}). Failures are logged, never fatal, and tried again at
 * the next start.
 */
@Component
@Order(300)
public class PrescriptionDemoLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(PrescriptionDemoLoader.class);
  static final String DATA = "org/lianyao/prescription/demo/prescriptions.json";
  private static final String HOSPITAL = "H50011200001";

  private final DemoConsortiumLoader demo;
  private final SystemStore store;
  private final Institutions institutions;
  private final MemberFormularies formularies;
  private final RecognitionService recognition;
  private final ExtensionService extension;

  public PrescriptionDemoLoader(DemoConsortiumLoader demo, SystemStore store, Institutions institutions,
      MemberFormularies formularies, RecognitionService recognition, ExtensionService extension) {
    this.demo = demo;
    this.store = store;
    this.institutions = institutions;
    this.formularies = formularies;
    this.recognition = recognition;
    this.extension = extension;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!demo.isEnabled()) {
      return;
    }
    try {
      demo.record().loadUnlessCurrent("prescriptions", List.of(new ClassPathResource(DATA)), this::load);
    } catch (RuntimeException e) {
      log.warn("Demo prescriptions not (fully) loaded, tried again at the next start: {}", e.toString());
    }
  }

  /** Loads the demo prescriptions, recognitions and extensions; throws if any was left out. */
  private void load() {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(DATA)) {
      JsonNode data = new ObjectMapper().readTree(in);
      int prescriptions = 0;
      for (JsonNode rx : data.get("prescriptions")) {
        prescriptions += prescribe(rx) ? 1 : 0;
      }
      for (JsonNode r : data.get("recognitions")) {
        recognize(r);
      }
      int extended = 0;
      int shortages = 0;
      for (JsonNode e : data.get("extensions")) {
        IBaseResource result = extend(e);
        extended += result instanceof MedicationRequest ? 1 : 0;
        shortages += result instanceof SupplyRequest ? 1 : 0;
      }
      log.info("Demo prescriptions: {} prescription lines, {} extensions, {} shortage registrations",
          prescriptions, extended, shortages);
      if (prescriptions < data.get("prescriptions").size()) {
        throw new IllegalStateException((data.get("prescriptions").size() - prescriptions) + " demo prescriptions skipped");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean prescribe(JsonNode rx) {
    String orgId = institutions.organizationId(HOSPITAL).orElseThrow();
    Optional<String> medication = product(rx.get("drug").asText(), rx.get("manufacturer").asText());
    Optional<String> patient = patient(rx.get("patient").asText());
    if (medication.isEmpty() || patient.isEmpty()) {
      log.warn("Demo prescription {} skipped: product {} or patient not found", rx.get("number").asText(),
          rx.get("drug").asText());
      return false;
    }
    MedicationRequest mr = new MedicationRequest();
    mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, new Reference("Organization/" + orgId).setDisplay("示例区人民医院"));
    String system = IdentifierSystems.prescriptionNumberSystem(HOSPITAL);
    mr.addIdentifier().setSystem(system).setValue(rx.get("number").asText())
        .setAssigner(new Reference("Organization/" + orgId));
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    boolean longTerm = rx.has("longTermEvaluation");
    mr.addCategory(new CodeableConcept(longTerm
        ? new Coding(CodeSystems.PRESCRIPTION_CATEGORY, CodeSystems.PrescriptionCategory.LONG_TERM, "长期处方")
        : new Coding(CodeSystems.PRESCRIPTION_CATEGORY, CodeSystems.PrescriptionCategory.ORDINARY, "普通")));
    mr.setMedication(new Reference("Medication/" + medication.get()).setDisplay(rx.get("drug").asText()));
    mr.setSubject(new Reference("Patient/" + patient.get()));
    Date written = Date.from(Instant.now().minus(rx.get("writtenDaysAgo").asInt(), ChronoUnit.DAYS));
    mr.setAuthoredOn(written);
    String doctor = practitioner(HOSPITAL, rx.get("doctor").asText()).orElseThrow();
    mr.setRequester(new Reference("Practitioner/" + doctor));
    JsonNode dx = rx.get("diagnosis");
    mr.addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cn", dx.get("code").asText(),
        dx.get("display").asText()).setVersion("医保版2.0")).setText(dx.get("display").asText()));
    Dosage dosage = mr.addDosageInstruction().setText(rx.get("dosage").asText());
    String frequency = rx.get("frequency").asText();
    dosage.getTiming().setCode(new CodeableConcept(new Coding(CodeSystems.FREQUENCY, frequency, null)));
    if (CodeSystems.Frequency.OTHER.equals(frequency)) {
      // 99 其他: the exact rule goes into repeat (tid here).
      dosage.getTiming().getRepeat().setFrequency(3).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D);
    }
    String route = rx.has("route") ? rx.get("route").asText() : CodeSystems.Route.ORAL;
    dosage.setRoute(new CodeableConcept(new Coding(CodeSystems.ROUTE, route, null)));
    dosage.addDoseAndRate().setDose(new Quantity().setValue(rx.get("dose").asDouble())
        .setUnit(rx.get("doseUnit").asText()).setSystem("http://unitsofmeasure.org").setCode(rx.get("doseUnit").asText()));
    mr.getDispenseRequest().setQuantity(new Quantity().setValue(rx.get("quantity").asInt())
        .setUnit(rx.get("quantityUnit").asText()));
    mr.getDispenseRequest().setExpectedSupplyDuration((org.hl7.fhir.r4.model.Duration) new org.hl7.fhir.r4.model.Duration()
        .setValue(rx.get("days").asInt()).setUnit("天").setSystem("http://unitsofmeasure.org").setCode("d"));
    if (longTerm) {
      Extension e = new Extension(LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION);
      e.addExtension("date", new DateTimeType(written));
      e.addExtension("assessor", new Reference("Practitioner/" + doctor));
      e.addExtension("note", new StringType(rx.get("longTermEvaluation").asText()));
      mr.addExtension(e);
    }
    store.create(mr, "MedicationRequest?identifier=" + enc(system + "|" + rx.get("number").asText())
        + "&medication=Medication/" + medication.get());
    return true;
  }

  private void recognize(JsonNode r) {
    Optional<MedicationRequest> rx = hospitalPrescription(r.get("number").asText(), r.get("drug").asText());
    String institution = r.get("institution").asText();
    Optional<String> doctor = practitioner(institution, r.get("doctor").asText());
    if (rx.isEmpty() || doctor.isEmpty()) {
      return;
    }
    recognition.recognize(caller(institution), new SystemRequestDetails(), rx.get().getIdElement().getIdPart(),
        r.get("note").asText(), new Reference("Practitioner/" + doctor.get()));
  }

  private IBaseResource extend(JsonNode e) {
    Optional<MedicationRequest> rx = hospitalPrescription(e.get("number").asText(), e.get("drug").asText());
    String institution = e.get("institution").asText();
    Optional<String> doctor = practitioner(institution, e.get("doctor").asText());
    if (rx.isEmpty() || doctor.isEmpty()) {
      return null;
    }
    // A registration made by an earlier start (whatever its status now) is not made again.
    SearchParameterMap map = SearchParameterMap.newSynchronous(SupplyRequest.SP_IDENTIFIER, new TokenParam(
        ShortageRegistrations.IDENTIFIER_BASE + institution, "rx-" + rx.get().getIdElement().getIdPart()));
    if (!store.search(SupplyRequest.class, map).isEmpty()) {
      return null;
    }
    ExtensionService.ExtendRequest ask = new ExtensionService.ExtendRequest(
        new Reference("Practitioner/" + doctor.get()), null, null, null,
        e.has("longTerm") ? e.get("longTerm").asBoolean() : null, null, null, e.get("extendedNumber").asText(),
        e.get("note").asText());
    return extension.extend(caller(institution), new SystemRequestDetails(), rx.get().getIdElement().getIdPart(), ask);
  }

  private static Caller caller(String institution) {
    return new Caller("demo-loader", institution, Role.HIS, SmartScopes.none(), null, null);
  }

  private Optional<MedicationRequest> hospitalPrescription(String number, String drug) {
    SearchParameterMap map = SearchParameterMap.newSynchronous(MedicationRequest.SP_IDENTIFIER,
        new TokenParam(IdentifierSystems.prescriptionNumberSystem(HOSPITAL), number));
    List<MedicationRequest> lines = store.search(MedicationRequest.class, map);
    return lines.stream().filter(mr -> drug.equals(mr.getMedicationReference().getDisplay())).findFirst();
  }

  /** The hospital's formulary product with this generic name and manufacturer. */
  private Optional<String> product(String genericName, String manufacturer) {
    StockAnswer answer = formularies.check(HOSPITAL, new DrugFacts(null, genericName, genericName, java.util.Set.of(),
        java.util.Set.of(), false));
    if (answer.status() != StockStatus.GENERIC_AVAILABLE) {
      return Optional.empty();
    }
    return answer.products().stream().filter(p -> p.label().contains(manufacturer)).findFirst()
        .map(StockAnswer.Product::medicationId);
  }

  private Optional<String> patient(String residentId) {
    SearchParameterMap map = SearchParameterMap.newSynchronous(Patient.SP_IDENTIFIER,
        new TokenParam(IdentifierSystems.RESIDENT_ID, residentId));
    return store.search(Patient.class, map).stream().findFirst().map(p -> p.getIdElement().getIdPart());
  }

  private Optional<String> practitioner(String institution, String code) {
    SearchParameterMap map = SearchParameterMap.newSynchronous(Practitioner.SP_IDENTIFIER,
        new TokenParam(IdentifierSystems.practitionerCodeSystem(institution), code));
    return store.search(Practitioner.class, map).stream().findFirst().map(p -> p.getIdElement().getIdPart());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
