package org.lianyao.prescription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.prescription.drug.DrugResolver;
import org.lianyao.prescription.drug.LocalDrugTranslator;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.LongTermRules;
import org.lianyao.prescription.rules.RuleViolation;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.Tags;
import org.springframework.stereotype.Component;

/**
 * What happens to posted patients, drugs and prescriptions before HAPI stores them — on every write
 * path (REST, transactions, Camel feeds, the gateway's own services), hence storage scope:
 *
 * <ul>
 *   <li><b>Patient</b>: without a resident ID (居民身份证号) it cannot be linked across institutions
 *       and is tagged {@code data-quality#unlinkable-patient}; the tag goes once the ID is added.
 *   <li><b>Medication</b> carrying a member's local drug code and no national code: the member's
 *       ConceptMap adds the 医保药品编码; when nothing maps it is kept as posted and tagged
 *       {@code unmatched-drug} — never dropped.
 *   <li><b>MedicationRequest</b>: an inline drug gets the same translation; a prescription whose drug
 *       stays unmatched is tagged {@code unmatched-drug} too, so the data-governance desk finds it
 *       with {@code MedicationRequest?_tag=…|unmatched-drug}. A long-term prescription (长期处方) must
 *       meet {@link LongTermRules}; a finished prescription (cancelled, completed, stopped) cannot
 *       become active again. Violations are answered with 422 and a Chinese OperationOutcome.
 * </ul>
 *
 * The hooks run before the profile check (order −100; ProfileEnforcementInterceptor has 0), so the
 * profile sees the enriched resource (the Medication profile accepts an unmatched drug only with
 * its tag).
 */
@Component
public class PrescriptionWriteInterceptor implements GatewayInterceptor {

  static final int ORDER = -100;
  private static final Set<MedicationRequestStatus> FINISHED = Set.of(MedicationRequestStatus.CANCELLED,
      MedicationRequestStatus.COMPLETED, MedicationRequestStatus.STOPPED, MedicationRequestStatus.ENTEREDINERROR);

  private final LocalDrugTranslator translator;
  private final DrugResolver drugs;
  private final LongTermRules longTermRules;

  public PrescriptionWriteInterceptor(LocalDrugTranslator translator, DrugResolver drugs, LongTermRules longTermRules) {
    this.translator = translator;
    this.drugs = drugs;
    this.longTermRules = longTermRules;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = ORDER)
  public void created(IBaseResource resource) {
    enrich(resource, null);
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = ORDER)
  public void updated(IBaseResource previous, IBaseResource resource) {
    enrich(resource, previous);
  }

  private void enrich(IBaseResource resource, IBaseResource previous) {
    if (resource instanceof Patient patient) {
      tagUnlinkable(patient);
    } else if (resource instanceof Medication medication) {
      matchMedication(medication);
    } else if (resource instanceof MedicationRequest mr) {
      checkStatusChange(previous instanceof MedicationRequest old ? old : null, mr);
      if (mr.hasMedicationCodeableConcept()) {
        addNationalCodings(mr.getMedicationCodeableConcept());
      }
      Optional<Medication> medication = drugs.medication(mr);
      DrugFacts drug = medication.map(drugs::facts).orElseGet(() -> drugs.facts(mr));
      setTag(mr.getMeta(), Tags.unmatchedDrug(), isUnmatched(mr, medication, drug));
      checkLongTerm(mr, drug);
    }
  }

  // ------------------------------------------------------------------------------- patients

  static void tagUnlinkable(Patient patient) {
    boolean linkable = patient.getIdentifier().stream().anyMatch(PrescriptionWriteInterceptor::isResidentId);
    setTag(patient.getMeta(), Tags.unlinkablePatient(), !linkable);
  }

  static boolean isResidentId(Identifier identifier) {
    return IdentifierSystems.RESIDENT_ID.equals(identifier.getSystem()) && identifier.hasValue()
        && !identifier.getValue().isBlank();
  }

  // ---------------------------------------------------------------------------------- drugs

  private void matchMedication(Medication medication) {
    CodeableConcept code = medication.getCode();
    boolean local = code.getCoding().stream().anyMatch(LocalDrugTranslator::isLocal);
    if (!local) {
      // Catalog products (committee) are the committee's business: only HIS products are matched.
      return;
    }
    addNationalCodings(code);
    boolean national = code.getCoding().stream().anyMatch(LocalDrugTranslator::isNational);
    setTag(medication.getMeta(), Tags.unmatchedDrug(), !national);
  }

  private void addNationalCodings(CodeableConcept code) {
    for (Coding n : translator.missingNationalCodings(code)) {
      // Marked as not chosen by the sender: it comes from the member's ConceptMap.
      code.addCoding(n.copy().setUserSelected(false));
    }
  }

  /**
   * Unmatched: no national code, and the drug is a member's own (inline, or a Medication with a local
   * code or already tagged). Catalog products of the consortium are its Medications by definition.
   */
  private static boolean isUnmatched(MedicationRequest mr, Optional<Medication> medication, DrugFacts drug) {
    if (drug.matched()) {
      return false;
    }
    if (mr.hasMedicationCodeableConcept()) {
      return true;
    }
    return medication.map(m -> m.getCode().getCoding().stream().anyMatch(LocalDrugTranslator::isLocal)
        || m.getMeta().getTag().stream().anyMatch(t -> CodeSystems.DATA_QUALITY.equals(t.getSystem())
            && CodeSystems.DataQuality.UNMATCHED_DRUG.equals(t.getCode())))
        .orElse(false);
  }

  // -------------------------------------------------------------------------- prescriptions

  private static void checkStatusChange(MedicationRequest previous, MedicationRequest next) {
    if (previous == null || previous.getStatus() == null || next.getStatus() == null
        || previous.getStatus() == next.getStatus()) {
      return;
    }
    MedicationRequestStatus from = previous.getStatus();
    MedicationRequestStatus to = next.getStatus();
    boolean allowed = !FINISHED.contains(from)
        || (to == MedicationRequestStatus.ENTEREDINERROR && from != MedicationRequestStatus.ENTEREDINERROR);
    if (!allowed) {
      throw new UnprocessableEntityException(Outcomes.ctx(), Outcomes.unprocessable(List.of(new RuleViolation(
          "status-transition",
          "处方状态为「" + from.getDisplay() + "」（" + from.toCode() + "），已结束，不能再改为「" + to.toCode()
              + "」；录入错误请改为 entered-in-error",
          "a " + from.toCode() + " prescription cannot become " + to.toCode()
              + " (only entered-in-error is allowed after a final status)"))));
    }
  }

  private void checkLongTerm(MedicationRequest mr, DrugFacts drug) {
    Set<String> categories = categories(mr);
    if (!categories.contains(CodeSystems.PrescriptionCategory.LONG_TERM) || FINISHED.contains(mr.getStatus())) {
      return;
    }
    Integer days = daysSupply(mr);
    boolean evaluated = mr.getExtensionByUrl(org.lianyao.profiles.LianyaoProfiles.EXT_LONG_TERM_PRESCRIPTION_EVALUATION) != null;
    List<RuleViolation> violations = longTermRules.check(days, evaluated, categories, drug.controlClasses(),
        diagnosisCodes(mr));
    if (!violations.isEmpty()) {
      throw new UnprocessableEntityException(Outcomes.ctx(), Outcomes.unprocessable(violations));
    }
  }

  public static Set<String> categories(MedicationRequest mr) {
    Set<String> codes = new LinkedHashSet<>();
    for (CodeableConcept c : mr.getCategory()) {
      for (Coding coding : c.getCoding()) {
        if (CodeSystems.PRESCRIPTION_CATEGORY.equals(coding.getSystem()) && coding.hasCode()) {
          codes.add(coding.getCode());
        }
      }
    }
    return codes;
  }

  /** Days supply in days ({@code expectedSupplyDuration}, UCUM {@code d}); {@code null} when absent. */
  public static Integer daysSupply(MedicationRequest mr) {
    if (!mr.getDispenseRequest().hasExpectedSupplyDuration()
        || !mr.getDispenseRequest().getExpectedSupplyDuration().hasValue()) {
      return null;
    }
    var d = mr.getDispenseRequest().getExpectedSupplyDuration();
    double value = d.getValue().doubleValue();
    String unit = d.hasCode() ? d.getCode() : "d";
    double days = switch (unit) {
      case "wk" -> value * 7;
      case "mo" -> value * 30;
      case "h" -> value / 24;
      default -> value;
    };
    return (int) Math.ceil(days);
  }

  public static List<String> diagnosisCodes(MedicationRequest mr) {
    List<String> codes = new ArrayList<>();
    for (CodeableConcept reason : mr.getReasonCode()) {
      for (Coding c : reason.getCoding()) {
        if (c.hasCode()) {
          codes.add(c.getCode());
        }
      }
    }
    return codes;
  }

  static void setTag(Meta meta, Coding tag, boolean present) {
    boolean has = meta.getTag().stream()
        .anyMatch(t -> tag.getSystem().equals(t.getSystem()) && tag.getCode().equals(t.getCode()));
    if (present && !has) {
      meta.addTag(tag);
    } else if (!present && has) {
      meta.getTag().removeIf(t -> tag.getSystem().equals(t.getSystem()) && tag.getCode().equals(t.getCode()));
    }
  }
}
