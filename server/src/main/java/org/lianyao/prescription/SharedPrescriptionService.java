package org.lianyao.prescription;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.prescription.PrescriptionCodes.View;
import org.lianyao.prescription.consent.SharingConsents;
import org.lianyao.prescription.drug.DrugResolver;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.ExtensionRules;
import org.lianyao.prescription.rules.PrescriptionFacts;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.prescription.rules.StockStatus;
import org.lianyao.prescription.rules.SupplyPeriod;
import org.lianyao.prescription.stock.MemberFormularies;
import org.lianyao.prescription.stock.StockAnswer;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.security.Caller;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The shared view for the clinic doctor (处方实时查阅): a patient's active prescriptions from every
 * member institution, newest first, as a FHIR {@code searchset} Bundle of MedicationRequests — the
 * stored prescriptions, unchanged, each annotated with the {@link PrescriptionCodes#EXT_SHARED_VIEW}
 * extension: institution (name, level), prescriber, drug, dosage text, days supply, supply period and
 * days remaining, whether the caller's institution stocks the drug (or the same generic name),
 * recognitions (互认, Provenance) and whether and how long it may be extended, with the Chinese
 * reasons when not. The patient is included ({@code search.mode = include}).
 *
 * <p>The view shows exactly what a plain search would: another institution's prescriptions pass the
 * same sharing rules (consortium membership, the patient's refusal, break-glass); withheld ones are
 * counted in an informational OperationOutcome entry ({@code search.mode = outcome}) so the doctor
 * knows why the list is short. The security package's consent interceptor audits the response
 * (one AuditEvent per request listing the other institutions' prescriptions and the patient).
 */
@Service
public class SharedPrescriptionService {

  private final SystemStore store;
  private final Institutions institutions;
  private final DrugResolver drugs;
  private final MemberFormularies formularies;
  private final ExtensionRules extensionRules;
  private final SharingConsents consents;
  private final PrescriptionProperties properties;
  private final SecurityAuditService audit;

  public SharedPrescriptionService(SystemStore store, Institutions institutions, DrugResolver drugs,
      MemberFormularies formularies, ExtensionRules extensionRules, SharingConsents consents,
      PrescriptionProperties properties, ObjectProvider<SecurityAuditService> audit) {
    this.store = store;
    this.institutions = institutions;
    this.drugs = drugs;
    this.formularies = formularies;
    this.extensionRules = extensionRules;
    this.consents = consents;
    this.properties = properties;
    this.audit = audit.getIfAvailable();
  }

  /**
   * The view for a patient given by logical id, or by identifier (the resident ID: {@code system|value}
   * or the bare number).
   *
   * <p>By identifier, one search finds the prescriptions through the chained {@code subject.identifier}
   * and brings the patient as an {@code _include}: the patient is looked up on its own only when it has
   * no active prescription (then the view is empty, or the patient does not exist: 404).
   */
  public Bundle view(Caller caller, RequestDetails request, String patientId, String identifier) {
    if (patientId != null && !patientId.isBlank()) {
      Patient patient = store.read(Patient.class, patientId).orElseThrow(() -> Outcomes.notFound("patient-not-found",
          "未找到患者 Patient/" + patientId, "Patient/" + patientId + " not found"));
      String ref = "Patient/" + patient.getIdElement().getIdPart();
      return view(caller, request, patient, store.search("MedicationRequest", prescriptionSearch(new ReferenceParam(ref))));
    }
    TokenParam id = residentId(identifier);
    SearchParameterMap map = prescriptionSearch(
        new ReferenceParam("Patient", Patient.SP_IDENTIFIER, id.getSystem() + "|" + id.getValue()));
    map.addInclude(new Include("MedicationRequest:subject"));
    List<IBaseResource> found = store.search("MedicationRequest", map);
    List<Patient> patients = found.stream().filter(Patient.class::isInstance).map(Patient.class::cast).toList();
    if (patients.size() > 1) {
      throw ambiguous();
    }
    if (patients.isEmpty()) {
      return view(caller, request, patientByIdentifier(id), found);
    }
    return view(caller, request, patients.get(0), found);
  }

  private static TokenParam residentId(String identifier) {
    if (identifier == null || identifier.isBlank()) {
      throw Outcomes.invalid("patient-required", "请指定患者：Patient/[id]/$shared-prescriptions 或参数 identifier（居民身份证号）",
          "give the patient id or the identifier parameter (resident ID)");
    }
    String system = IdentifierSystems.RESIDENT_ID;
    String value = identifier.strip();
    int bar = value.indexOf('|');
    if (bar >= 0) {
      system = value.substring(0, bar);
      value = value.substring(bar + 1);
    }
    return new TokenParam(system, value);
  }

  private Patient patientByIdentifier(TokenParam id) {
    SearchParameterMap map = new SearchParameterMap();
    map.add(Patient.SP_IDENTIFIER, id);
    map.setCount(2);
    List<Patient> found = store.search(Patient.class, map);
    if (found.isEmpty()) {
      throw Outcomes.notFound("patient-not-found", "未找到该身份证号对应的患者", "no Patient with identifier " + id.getSystem() + "|***");
    }
    if (found.size() > 1) {
      throw ambiguous();
    }
    return found.get(0);
  }

  private static RuntimeException ambiguous() {
    return Outcomes.invalid("patient-ambiguous", "该标识符对应多名患者，请按患者 id 查询",
        "the identifier matches several patients; ask by patient id");
  }

  /**
   * The patient's active prescriptions with their doctors, dispenses and recognitions, in one search;
   * sorting the few lines of one patient in memory is cheaper than HAPI's sort join. The drugs come
   * from the drug resolver's cache (a consortium has a few thousand products, each prescribed again
   * and again) rather than being loaded with every view.
   */
  private SearchParameterMap prescriptionSearch(ReferenceParam subject) {
    SearchParameterMap map = new SearchParameterMap();
    map.add(MedicationRequest.SP_SUBJECT, subject);
    map.add(MedicationRequest.SP_STATUS, new TokenParam("active"));
    map.addInclude(new Include("MedicationRequest:requester"));
    map.addRevInclude(new Include("MedicationDispense:prescription"));
    map.addRevInclude(new Include("Provenance:target"));
    map.setCount(properties.sharedView().maxResults());
    return map;
  }

  private Bundle view(Caller caller, RequestDetails request, Patient patient, List<IBaseResource> found) {
    String patientRef = "Patient/" + patient.getIdElement().getIdPart();
    ZoneId zone = properties.zone();
    LocalDate today = LocalDate.now(zone);

    List<MedicationRequest> prescriptions = new ArrayList<>();
    List<MedicationDispense> dispenses = new ArrayList<>();
    List<Provenance> provenances = new ArrayList<>();
    Map<String, IBaseResource> included = new HashMap<>();
    for (IBaseResource r : found) {
      if (r instanceof MedicationRequest mr && patientRef.equals(mr.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue())) {
        prescriptions.add(mr);
      } else if (r instanceof MedicationDispense md) {
        dispenses.add(md);
      } else if (r instanceof Provenance p) {
        provenances.add(p);
      } else {
        included.put(r.getIdElement().toUnqualifiedVersionless().getValue(), r);
      }
    }
    prescriptions.sort((a, b) -> {
      Date da = a.getAuthoredOn();
      Date db = b.getAuthoredOn();
      return da == null ? (db == null ? 0 : 1) : db == null ? -1 : db.compareTo(da);
    });

    List<MedicationRequest> shown = new ArrayList<>();
    int withheld = 0;
    for (MedicationRequest mr : prescriptions) {
      boolean foreign = institutions.isForeign(mr, caller);
      if (foreign && !institutions.mayShare(caller, mr, request)) {
        withheld++;
        continue;
      }
      shown.add(mr);
    }

    Map<String, Date> firstDispense = firstDispenses(dispenses);
    Map<String, List<Provenance>> recognitions = recognitions(provenances);

    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.SEARCHSET);
    bundle.setTotal(shown.size());
    String base = request.getFhirServerBase();
    for (MedicationRequest mr : shown) {
      annotate(mr, caller, included, firstDispense, recognitions, today, zone);
      bundle.addEntry().setFullUrl(base + "/MedicationRequest/" + mr.getIdElement().getIdPart()).setResource(mr)
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    bundle.addEntry().setFullUrl(base + "/" + patientRef).setResource(patient)
        .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
    if (withheld > 0) {
      boolean refusal = consents.refuses(patientRef);
      RuleViolation why = refusal
          ? new RuleViolation("patient-refused-sharing",
              "患者已拒绝向其他机构共享处方（拒绝共享），" + withheld + " 张其他机构处方未显示；紧急情况下可在请求头 "
                  + properties.sharing().breakGlassHeader() + " 或参数 breakGlassReason 中说明理由后查阅（将记入审计）",
              withheld + " prescription(s) of other institutions withheld: the patient refused sharing;"
                  + " an emergency read needs a break-glass reason")
          : new RuleViolation("sharing-rules",
              withheld + " 张其他机构处方按共享规则未显示",
              withheld + " prescription(s) of other institutions withheld by the sharing rules");
      OperationOutcome oo = Outcomes.single(IssueSeverity.INFORMATION, IssueType.SUPPRESSED, why);
      bundle.addEntry().setResource(oo).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
      if (audit != null && caller != null) {
        audit.refused(new SecurityAuditService.Refusal(SecurityAuditService.Agent.of(caller, remote(request)),
            request.getRequestType() == null ? null : request.getRequestType().name(),
            "/" + request.getRequestPath(), "operation", false, why.chinese(), why.english(),
            refusal ? "patient-consent" : "sharing-consent", patientRef));
      }
    }
    return bundle;
  }

  private void annotate(MedicationRequest mr, Caller caller, Map<String, IBaseResource> included,
      Map<String, Date> firstDispense, Map<String, List<Provenance>> recognitions, LocalDate today, ZoneId zone) {
    Extension view = new Extension(PrescriptionCodes.EXT_SHARED_VIEW);
    boolean foreign = institutions.isForeign(mr, caller);
    Optional<Institutions.Info> owner = institutions.ownerId(mr).flatMap(institutions::byId);
    owner.ifPresent(o -> {
      view.addExtension(View.INSTITUTION, o.reference());
      o.level().ifPresent(level -> view.addExtension(View.INSTITUTION_LEVEL, level));
    });
    view.addExtension(View.OWN_INSTITUTION, new BooleanType(!foreign));
    prescriber(mr, included).ifPresent(p -> view.addExtension(View.PRESCRIBER, p));

    DrugFacts drug = drugs.facts(mr);
    view.addExtension(View.DRUG, new StringType(drug.label().isBlank() ? "（未知药品）" : drug.label()));
    String dosage = dosageText(mr);
    if (!dosage.isEmpty()) {
      view.addExtension(View.DOSAGE, new StringType(dosage));
    }

    String id = mr.getIdElement().getIdPart();
    PrescriptionFacts facts = Prescriptions.facts(mr, drug, foreign, firstDispense.get(id), zone);
    SupplyPeriod supply = facts.supply();
    if (supply != null) {
      view.addExtension(View.DAYS_SUPPLY, new IntegerType(supply.days()));
      view.addExtension(View.SUPPLY_START, new DateType(supply.start().toString()));
      view.addExtension(View.SUPPLY_END, new DateType(supply.end().toString()));
      view.addExtension(View.DAYS_REMAINING, new IntegerType(supply.daysRemaining(today)));
    }

    List<RuleViolation> reasons = new ArrayList<>();
    String institution = caller == null ? null : caller.institution();
    if (institution == null) {
      reasons.add(new RuleViolation("caller-no-institution", "调用方不代表医联体成员机构，不能延伸处方",
          "the caller acts for no member institution"));
    } else {
      StockAnswer stock = formularies.check(institution, drug);
      view.addExtension(View.STOCK, stock.status().toCoding());
      for (StockAnswer.Product p : stock.products()) {
        Reference ref = new Reference(p.reference()).setDisplay(p.label());
        view.addExtension(stock.status() == StockStatus.STOCKED ? View.STOCKED_PRODUCT : View.SUBSTITUTE, ref);
      }
      if (stock.status() == StockStatus.NOT_STOCKED) {
        reasons.add(new RuleViolation("not-stocked", "本机构目录无该药品及同通用名药品（延伸时将登记缺药）",
            "neither the drug nor its generic name is in the caller's member formulary (extending registers a shortage)"));
      } else if (stock.status() == StockStatus.NO_FORMULARY) {
        reasons.add(new RuleViolation("no-formulary", "本机构未登记成员单位用药目录，无法确认是否配备该药品",
            "the caller's institution has no member formulary"));
      }
    }
    reasons.addAll(0, extensionRules.checkOriginal(facts, today, facts.longTerm()));

    for (Provenance p : recognitions.getOrDefault(id, List.of())) {
      Reference ref = new Reference("Provenance/" + p.getIdElement().getIdPart());
      String org = p.getAgent().stream().map(a -> a.getWho())
          .filter(w -> "Organization".equals(w.getReferenceElement().getResourceType()))
          .map(w -> institutions.byId(w.getReferenceElement().getIdPart()).map(Institutions.Info::name)
              .orElse(w.getDisplay()))
          .findFirst().orElse("");
      String when = p.hasRecorded() ? LocalDate.ofInstant(p.getRecorded().toInstant(), zone).toString() : "";
      ref.setDisplay((org + " " + when + " 互认").strip());
      view.addExtension(View.RECOGNITION, ref);
    }
    boolean extendable = reasons.isEmpty();
    view.addExtension(View.EXTENDABLE, new BooleanType(extendable));
    for (RuleViolation r : reasons) {
      view.addExtension(View.NOT_EXTENDABLE_REASON, new StringType(r.chinese()));
    }
    view.addExtension(View.MAX_DAYS_SUPPLY, new IntegerType(extensionRules.maxDays(facts.longTerm())));
    mr.addExtension(view);
  }

  private Optional<Reference> prescriber(MedicationRequest mr, Map<String, IBaseResource> included) {
    if (!mr.hasRequester()) {
      return Optional.empty();
    }
    String ref = mr.getRequester().getReferenceElement().toUnqualifiedVersionless().getValue();
    IBaseResource r = included.get(ref);
    String name = mr.getRequester().getDisplay();
    if (r instanceof Practitioner p && p.hasName()) {
      name = p.getNameFirstRep().hasText() ? p.getNameFirstRep().getText() : p.getNameFirstRep().getNameAsSingleString();
    } else if (r instanceof PractitionerRole role && role.getPractitioner().hasDisplay()) {
      name = role.getPractitioner().getDisplay();
    }
    return Optional.of(new Reference(ref).setDisplay(name));
  }

  static String dosageText(MedicationRequest mr) {
    List<String> texts = new ArrayList<>();
    for (Dosage d : mr.getDosageInstruction()) {
      if (d.hasText()) {
        texts.add(d.getText());
      }
    }
    return String.join("；", texts);
  }

  /** When each prescription's drug was first handed over (MedicationDispense.whenHandedOver). */
  static Map<String, Date> firstDispenses(List<MedicationDispense> dispenses) {
    Map<String, Date> first = new HashMap<>();
    for (MedicationDispense md : dispenses) {
      if (!md.hasWhenHandedOver() || md.getStatus() != MedicationDispense.MedicationDispenseStatus.COMPLETED) {
        continue;
      }
      for (Reference rx : md.getAuthorizingPrescription()) {
        first.merge(rx.getReferenceElement().getIdPart(), md.getWhenHandedOver(), (a, b) -> a.before(b) ? a : b);
      }
    }
    return first;
  }

  /** 互认 Provenances per prescription id, oldest first. */
  static Map<String, List<Provenance>> recognitions(List<Provenance> provenances) {
    Map<String, List<Provenance>> byTarget = new LinkedHashMap<>();
    List<Provenance> sorted = new ArrayList<>(provenances);
    sorted.sort((a, b) -> a.getRecorded() == null || b.getRecorded() == null ? 0 : a.getRecorded().compareTo(b.getRecorded()));
    for (Provenance p : sorted) {
      if (!RecognitionService.isRecognition(p)) {
        continue;
      }
      for (Reference t : p.getTarget()) {
        if ("MedicationRequest".equals(t.getReferenceElement().getResourceType())) {
          byTarget.computeIfAbsent(t.getReferenceElement().getIdPart(), k -> new ArrayList<>()).add(p);
        }
      }
    }
    return byTarget;
  }

  static String remote(RequestDetails request) {
    return request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails srd
        ? srd.getServletRequest().getRemoteAddr() : null;
  }
}
