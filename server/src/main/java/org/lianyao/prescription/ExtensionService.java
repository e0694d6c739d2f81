package org.lianyao.prescription;

import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.prescription.drug.DrugResolver;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.ExtensionRules;
import org.lianyao.prescription.rules.PrescriptionFacts;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.prescription.stock.MemberFormularies;
import org.lianyao.prescription.stock.StockAnswer;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.profiles.LianyaoProfiles;
import org.lianyao.security.Caller;
import org.lianyao.shortage.ShortageRegistrations;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Service;

/**
 * 延伸处方: {@code MedicationRequest/[id]/$extend} continues another member's prescription at the
 * caller's institution. After the checks of {@link ExtensionRules} (active, recent, drug class,
 * category, days supply) the caller's member formulary decides:
 *
 * <ul>
 *   <li>the product is listed → a new prescription at the caller's institution (its own
 *       prescription-number system; the number given, else generated), category 延伸处方 (and
 *       长期处方 when asked or when the original was one), {@code basedOn} and
 *       {@code priorPrescription} → the original, same patient, diagnoses and dosage (unless
 *       overridden), the caller's doctor as requester;
 *   <li>only products with the same generic name are listed → 422 naming them, unless one is chosen
 *       with {@code substitute};
 *   <li>neither → no prescription: a shortage registration (缺药登记, SupplyRequest) is created and
 *       returned.
 * </ul>
 *
 * Refusals are 422 OperationOutcomes with one issue per broken rule (Chinese text, English
 * diagnostic, rule code).
 */
@Service
public class ExtensionService {

  /** What the caller asks for. Every field but {@code requester} is optional. */
  public record ExtendRequest(Reference requester, Integer daysSupply, Quantity quantity, Dosage dosage,
      Boolean longTerm, String evaluationNote, Reference substitute, String prescriptionNumber, String note) {}

  private static final DateTimeFormatter NUMBER_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final OriginalPrescriptions originals;
  private final DrugResolver drugs;
  private final ExtensionRules rules;
  private final MemberFormularies formularies;
  private final ShortageRegistrations shortages;
  private final Institutions institutions;
  private final SystemStore store;
  private final PrescriptionProperties properties;

  public ExtensionService(OriginalPrescriptions originals, DrugResolver drugs, ExtensionRules rules,
      MemberFormularies formularies, ShortageRegistrations shortages, Institutions institutions, SystemStore store,
      PrescriptionProperties properties) {
    this.originals = originals;
    this.drugs = drugs;
    this.rules = rules;
    this.formularies = formularies;
    this.shortages = shortages;
    this.institutions = institutions;
    this.store = store;
    this.properties = properties;
  }

  /** @return the new MedicationRequest, or the SupplyRequest of the shortage registration */
  public IBaseResource extend(Caller caller, RequestDetails request, String prescriptionId, ExtendRequest ask) {
    if (ask.requester() == null || !ask.requester().hasReference()) {
      throw Outcomes.invalid("requester-required", "请以参数 requester 指定本机构开具延伸处方的医师（Practitioner/[id]）",
          "the requester parameter (Practitioner/[id] of the caller's institution) is required");
    }
    OriginalPrescriptions.Original found = originals.readForCaller(caller, request, prescriptionId);
    MedicationRequest original = found.prescription();
    String ownOrgId = found.own().organizationId();
    var doctor = originals.requireOwnPractitioner(ownOrgId, caller.institution(), ask.requester());

    Optional<Medication> originalMedication = drugs.medication(original);
    DrugFacts drug = originalMedication.map(drugs::facts).orElseGet(() -> drugs.facts(original));
    PrescriptionFacts facts = Prescriptions.facts(original, drug, found.foreign(), null, properties.zone());
    boolean longTerm = ask.longTerm() != null ? ask.longTerm() : facts.longTerm();
    Integer originalDays = PrescriptionWriteInterceptor.daysSupply(original);
    // Without daysSupply: the original's, capped at the limit (the shared view shows that limit).
    int days = ask.daysSupply() != null ? ask.daysSupply()
        : originalDays == null ? 0 : Math.min(originalDays, rules.maxDays(longTerm));
    Extension evaluation = evaluation(ask, original, doctor, longTerm);

    LocalDate today = LocalDate.now(properties.zone());
    List<RuleViolation> violations = new ArrayList<>(rules.checkOriginal(facts, today, longTerm));
    violations.addAll(rules.checkDays(days, longTerm, evaluation != null));
    Quantity quantity = quantity(ask.quantity(), original, originalDays, days, violations);
    if (!violations.isEmpty()) {
      originals.auditRead(caller, request, original);
      throw new ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException(Outcomes.ctx(),
          Outcomes.unprocessable(violations));
    }

    StockAnswer stock = formularies.check(caller.institution(), drug);
    Reference product;
    if (ask.substitute() != null && ask.substitute().hasReference()) {
      product = chosenSubstitute(caller.institution(), drug, ask.substitute());
    } else {
      product = switch (stock.status()) {
        case STOCKED -> productReference(stock.products().get(0));
        case GENERIC_AVAILABLE -> throw Outcomes.unprocessableException(new RuleViolation("substitution-required",
            "本机构目录无原处方品规（" + drug.label() + "），可替换为同通用名药品："
                + stock.products().stream().map(p -> p.label() + "（" + p.reference() + "）").collect(Collectors.joining("、"))
                + "；请以参数 substitute 指定替换药品后重新提交",
            "the original product is not in the caller's formulary; same-generic substitutes: "
                + stock.products().stream().map(StockAnswer.Product::reference).collect(Collectors.joining(", "))
                + " — choose one with the substitute parameter"));
        case NO_FORMULARY -> throw Outcomes.unprocessableException(new RuleViolation("no-formulary",
            "本机构未登记成员单位用药目录，无法判断是否配备该药品，不能延伸处方",
            "the caller's institution has no member formulary: stock cannot be checked"));
        case NOT_STOCKED -> null;
      };
    }
    originals.auditRead(caller, request, original);
    if (product == null) {
      return registerShortage(found, original, originalMedication, drug, quantity);
    }
    return createExtended(caller, found, original, product, days, quantity, longTerm, evaluation, ask);
  }

  private IBaseResource registerShortage(OriginalPrescriptions.Original found, MedicationRequest original,
      Optional<Medication> medication, DrugFacts drug, Quantity quantity) {
    String orgId = found.own().organizationId();
    String name = institutions.byId(orgId).map(Institutions.Info::name).orElse(found.own().nhsaCode());
    Reference medRef = medication.filter(m -> drug.medicationId() != null)
        .map(m -> new Reference("Medication/" + drug.medicationId()).setDisplay(drug.label())).orElse(null);
    CodeableConcept item = medRef == null ? original.getMedicationCodeableConcept().copy() : null;
    return shortages.register(new ShortageRegistrations.NewRegistration(orgId, name, found.own().nhsaCode(), medRef,
        item, quantity, "MedicationRequest/" + original.getIdElement().getIdPart(),
        "延伸处方缺药：本机构目录无「" + drug.label() + "」及同通用名药品"));
  }

  private MedicationRequest createExtended(Caller caller, OriginalPrescriptions.Original found,
      MedicationRequest original, Reference product, int days, Quantity quantity, boolean longTerm,
      Extension evaluation, ExtendRequest ask) {
    String orgId = found.own().organizationId();
    Institutions.Info own = institutions.byId(orgId).orElse(
        new Institutions.Info(orgId, caller.institution(), caller.institution(), null, null));
    MedicationRequest mr = new MedicationRequest();
    mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, own.reference());
    if (evaluation != null) {
      mr.addExtension(evaluation);
    }
    String system = IdentifierSystems.prescriptionNumberSystem(caller.institution());
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY,
        CodeSystems.PrescriptionCategory.EXTENDED, "延伸处方")));
    if (longTerm) {
      mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY,
          CodeSystems.PrescriptionCategory.LONG_TERM, "长期处方")));
    }
    mr.setMedication(product);
    mr.setSubject(original.getSubject().copy());
    mr.setAuthoredOn(new Date());
    mr.setRequester(ask.requester().copy());
    original.getReasonCode().forEach(r -> mr.addReasonCode(r.copy()));
    if (ask.dosage() != null && !ask.dosage().isEmpty()) {
      mr.addDosageInstruction(ask.dosage().copy());
    } else {
      original.getDosageInstruction().forEach(d -> mr.addDosageInstruction(d.copy()));
    }
    mr.getDispenseRequest().setQuantity(quantity);
    mr.getDispenseRequest().setExpectedSupplyDuration((Duration) new Duration().setValue(days).setUnit("天")
        .setSystem("http://unitsofmeasure.org").setCode("d"));
    Reference originalRef = new Reference("MedicationRequest/" + original.getIdElement().getIdPart());
    Identifier originalNumber = Prescriptions.number(original);
    String origin = institutions.ownerId(original).flatMap(institutions::byId).map(Institutions.Info::name).orElse("");
    originalRef.setDisplay((origin + " 处方 " + (originalNumber == null ? "" : originalNumber.getValue())).strip());
    mr.addBasedOn(originalRef.copy());
    mr.setPriorPrescription(originalRef);
    StringBuilder note = new StringBuilder("延伸自").append(originalRef.getDisplay());
    if (!original.hasMedicationReference()
        || !product.getReference().equals(original.getMedicationReference().getReferenceElement().toUnqualifiedVersionless().getValue())) {
      note.append("；品规替换为 ").append(product.getDisplay());
    }
    mr.addNote(new Annotation().setText(note.toString()).setTime(new Date()));
    if (ask.note() != null && !ask.note().isBlank()) {
      mr.addNote(new Annotation().setText(ask.note().strip()));
    }

    String number = ask.prescriptionNumber();
    for (int attempt = 0; attempt < 5; attempt++) {
      String value = number != null && !number.isBlank() ? number.strip() : generateNumber();
      mr.getIdentifier().clear();
      mr.addIdentifier().setSystem(system).setValue(value).setAssigner(own.reference());
      DaoMethodOutcome outcome = store.create(mr, "MedicationRequest?identifier="
          + urlEncode(system) + "%7C" + urlEncode(value));
      boolean created = outcome.getCreated() != null && outcome.getCreated();
      if (created || (number != null && !number.isBlank())) {
        // The caller's own number: an existing prescription with it is this request repeated.
        return (MedicationRequest) outcome.getResource();
      }
    }
    throw new IllegalStateException("Could not generate an unused prescription number");
  }

  private Reference chosenSubstitute(String institution, DrugFacts original, Reference substitute) {
    String id = substitute.getReferenceElement().getIdPart();
    if (!"Medication".equals(substitute.getReferenceElement().getResourceType()) || id == null) {
      throw Outcomes.invalid("substitute-invalid", "替换药品须以 Medication/[id] 引用", "substitute must be Medication/[id]");
    }
    Optional<StockAnswer.Product> listed = formularies.listed(institution, id);
    if (listed.isEmpty()) {
      throw Outcomes.unprocessableException(new RuleViolation("substitute-not-stocked",
          "替换药品 Medication/" + id + " 不在本机构成员单位用药目录中", "Medication/" + id + " is not in the caller's formulary"));
    }
    if (!MemberFormularies.sameGeneric(listed.get().genericName(), original.genericName())) {
      throw Outcomes.unprocessableException(new RuleViolation("substitute-other-generic",
          "替换药品「" + listed.get().genericName() + "」与原处方药品「" + original.genericName() + "」通用名不同，不能替换",
          "the substitute's generic name differs from the original's"));
    }
    return productReference(listed.get());
  }

  private static Reference productReference(StockAnswer.Product p) {
    return new Reference(p.reference()).setDisplay(p.label());
  }

  /**
   * The long-term evaluation of the new prescription: the one given ({@code evaluationNote}, by the
   * requesting doctor, now), else the original's when the extension stays long-term.
   */
  private static Extension evaluation(ExtendRequest ask, MedicationRequest original,
      org.hl7.fhir.r4.model.Practitioner doctor, boolean longTerm) {
    if (ask.evaluationNote() != null && !ask.evaluationNote().isBlank()) {
      Extension e = new Extension(LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION);
      e.addExtension("date", new DateTimeType(new Date()));
      e.addExtension("assessor", new Reference("Practitioner/" + doctor.getIdElement().getIdPart())
          .setDisplay(doctor.getNameFirstRep().getText()));
      e.addExtension("note", new StringType(ask.evaluationNote().strip()));
      return e;
    }
    Extension previous = original.getExtensionByUrl(LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION);
    return longTerm && previous != null ? previous.copy() : null;
  }

  /**
   * The quantity asked for, else the original's — scaled to the new days supply and rounded up to
   * whole units (packs) when the days differ.
   */
  static Quantity quantity(Quantity asked, MedicationRequest original, Integer originalDays, int days,
      List<RuleViolation> violations) {
    if (asked != null && asked.hasValue()) {
      return asked.copy();
    }
    Quantity q = original.getDispenseRequest().getQuantity();
    if (q == null || !q.hasValue()) {
      violations.add(new RuleViolation("quantity-required", "原处方没有药品总量，请以参数 quantity 给出",
          "the original has no dispense quantity: give the quantity parameter"));
      return null;
    }
    Quantity copy = q.copy();
    if (originalDays != null && originalDays > 0 && days != originalDays) {
      BigDecimal scaled = q.getValue().multiply(BigDecimal.valueOf(days))
          .divide(BigDecimal.valueOf(originalDays), 0, RoundingMode.CEILING);
      copy.setValue(scaled.max(BigDecimal.ONE));
    }
    return copy;
  }

  private String generateNumber() {
    return properties.extend().numberPrefix() + LocalDate.now(properties.zone()).format(NUMBER_DATE)
        + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
