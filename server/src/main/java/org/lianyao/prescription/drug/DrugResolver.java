package org.lianyao.prescription.drug;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.springframework.stereotype.Component;

/**
 * What a prescription's drug is: its Medication (by literal, in-transaction or conditional
 * reference) or inline concept, reduced to {@link DrugFacts}. Local HIS codes count with the
 * national code their institution's ConceptMap gives, so the answer does not depend on whether a
 * feed's Medication has been enriched yet.
 */
@Component
public class DrugResolver {

  private final SystemStore store;
  private final LocalDrugTranslator translator;
  /**
   * Medications read by id: every prescription written or shown needs its drug, and products change
   * rarely. Short-lived, cleared by Medication writes on this node ({@link #invalidate()}).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<Medication>> byId =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000)
          .expireAfterWrite(java.time.Duration.ofSeconds(60)).build();
  private final MatchUrlService matchUrlService;
  private final FhirContext fhirContext;

  public DrugResolver(SystemStore store, LocalDrugTranslator translator, MatchUrlService matchUrlService,
      FhirContext fhirContext) {
    this.store = store;
    this.translator = translator;
    this.matchUrlService = matchUrlService;
    this.fhirContext = fhirContext;
  }

  /** The Medication a prescription references, if it can be found. */
  public Optional<Medication> medication(MedicationRequest mr) {
    if (!mr.hasMedicationReference()) {
      return Optional.empty();
    }
    return medication(mr.getMedicationReference());
  }

  public Optional<Medication> medication(Reference ref) {
    if (ref.getResource() instanceof Medication inBundle) {
      // A transaction's own Medication (HAPI links urn:uuid references when it parses the Bundle).
      return Optional.of(inBundle);
    }
    String value = ref.getReference();
    if (value == null || value.isBlank() || value.startsWith("urn:") || value.startsWith("#")) {
      return Optional.empty();
    }
    if (value.startsWith("Medication?")) {
      SearchParameterMap map = matchUrlService.translateMatchUrl(value, fhirContext.getResourceDefinition("Medication"));
      map.setCount(2);
      List<Medication> found = store.search(Medication.class, map);
      return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
    IdType id = new IdType(value);
    if (!"Medication".equals(id.getResourceType()) || id.hasBaseUrl()) {
      return Optional.empty();
    }
    return byId.get(id.getIdPart(), key -> store.read(Medication.class, key)).map(Medication::copy);
  }

  public void invalidate() {
    byId.invalidateAll();
  }

  public DrugFacts facts(MedicationRequest mr) {
    if (mr.hasMedicationCodeableConcept()) {
      return facts(null, mr.getMedicationCodeableConcept(), List.of(), "");
    }
    Optional<Medication> medication = medication(mr);
    if (medication.isPresent()) {
      return facts(medication.get());
    }
    Reference ref = mr.hasMedicationReference() ? mr.getMedicationReference() : new Reference();
    String id = ref.getReferenceElement().hasIdPart() && "Medication".equals(ref.getReferenceElement().getResourceType())
        ? ref.getReferenceElement().getIdPart() : null;
    return new DrugFacts(id, ref.getDisplay(), ref.getDisplay(), Set.of(), Set.of(), false);
  }

  public DrugFacts facts(Medication medication) {
    String id = medication.getIdElement().hasIdPart() && !medication.getIdElement().getValue().startsWith("urn:")
        ? medication.getIdElement().getIdPart() : null;
    Set<String> classes = new LinkedHashSet<>();
    for (Extension e : medication.getExtensionsByUrl(Extensions.DRUG_CONTROL_CLASS)) {
      if (e.getValue() instanceof Coding c && CodeSystems.DRUG_CONTROL_CLASS.equals(c.getSystem()) && c.hasCode()) {
        classes.add(c.getCode());
      }
    }
    return facts(id, medication.getCode(), List.copyOf(classes), label(medication));
  }

  private DrugFacts facts(String medicationId, CodeableConcept code, List<String> classes, String label) {
    Set<String> national = new LinkedHashSet<>();
    boolean local = false;
    for (Coding c : code.getCoding()) {
      if (LocalDrugTranslator.isNational(c)) {
        national.add(c.getSystem() + "|" + c.getCode());
      }
      local |= LocalDrugTranslator.isLocal(c);
    }
    if (national.isEmpty() && local) {
      for (Coding n : translator.missingNationalCodings(code)) {
        national.add(n.getSystem() + "|" + n.getCode());
      }
    }
    String generic = genericName(code);
    return new DrugFacts(medicationId, generic, label.isBlank() ? generic : label, national, Set.copyOf(classes),
        !national.isEmpty());
  }

  /** 通用名: {@code code.text}, else the first coding's display. */
  public static String genericName(CodeableConcept code) {
    if (code.hasText()) {
      return code.getText().strip();
    }
    for (Coding c : code.getCoding()) {
      if (c.hasDisplay()) {
        return c.getDisplay().strip();
      }
    }
    return "";
  }

  /** {@code 苯磺酸氨氯地平片 5mg（浙江京新药业股份有限公司）}. */
  public static String label(Medication m) {
    StringBuilder b = new StringBuilder(genericName(m.getCode()));
    Extension strength = m.getExtensionByUrl(Extensions.MEDICATION_STRENGTH);
    if (strength != null && strength.getValue() != null && strength.getValue().primitiveValue() != null) {
      b.append(' ').append(strength.getValue().primitiveValue());
    }
    if (m.getManufacturer().hasDisplay()) {
      b.append('（').append(m.getManufacturer().getDisplay()).append('）');
    }
    return b.toString().strip();
  }

  static boolean isMedication(IBaseResource r) {
    return r instanceof Medication;
  }
}
