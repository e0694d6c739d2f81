package org.lianyao.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Bulk writes validated alongside the transaction, on all cores: enforcement on write takes the
 * verdict for exactly the content that conformed, and still rejects anything else.
 */
class PreValidatedWriteTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();
  private static ConformanceValidator validator;
  private static ProfileEnforcementInterceptor enforcement;

  @BeforeAll
  static void validator() {
    validator = new ConformanceValidator(CTX);
    enforcement = new ProfileEnforcementInterceptor(validator, CTX);
  }

  @Test
  void aConformingVerdictHoldsOnlyInsideTheWriteAndOnlyForUnchangedContent() {
    List<Resource> examples = examplesOf("Patient", "Medication", "MedicationRequest");
    assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
    Patient patient = (Patient) examples.stream().filter(Patient.class::isInstance).findFirst().orElseThrow();
    Patient neverSubmitted = patient.copy();

    boolean[] seen = enforcement.bulkWrite(examples, () -> {
      boolean[] r = new boolean[examples.size() + 2];
      for (int i = 0; i < examples.size(); i++) {
        Resource stored = examples.get(i);
        if (stored == patient) {
          continue;
        }
        // What the server sets on write (while the resources are being validated) does not count.
        stored.setId(stored.fhirType() + "/42");
        stored.getMeta().setVersionId("1").setLastUpdated(new java.util.Date());
        r[i] = validator.isPreValidated(stored);
      }
      patient.setGender(Enumerations.AdministrativeGender.UNKNOWN.equals(patient.getGender())
          ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.UNKNOWN);
      r[examples.size()] = validator.isPreValidated(patient);
      r[examples.size() + 1] = validator.isPreValidated(neverSubmitted);
      return r;
    });

    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i) != patient) {
        assertThat(seen[i]).as("example %s conformed", examples.get(i).fhirType()).isTrue();
      }
    }
    assertThat(seen[examples.size()]).as("changed after it was submitted").isFalse();
    assertThat(seen[examples.size() + 1]).as("equal content, but never submitted").isFalse();
    assertThat(validator.isPreValidated(examples.get(0))).as("outside the write").isFalse();
  }

  @Test
  void aNonConformingResourceIsStillRejectedOnWrite() {
    Patient wrongCheckDigit = examplesOf("Patient").stream().map(Patient.class::cast)
        .filter(p -> p.getIdentifier().stream().anyMatch(id -> IdentifierSystems.RESIDENT_ID.equals(id.getSystem())))
        .findFirst().orElseThrow();
    Identifier residentId = wrongCheckDigit.getIdentifier().stream()
        .filter(id -> IdentifierSystems.RESIDENT_ID.equals(id.getSystem())).findFirst().orElseThrow();
    String v = residentId.getValue();
    char last = v.charAt(17);
    residentId.setValue(v.substring(0, 17) + (last == '0' ? '1' : '0'));
    List<Resource> batch = new ArrayList<>(examplesOf("Medication"));
    batch.add(wrongCheckDigit);
    AtomicInteger stored = new AtomicInteger();

    assertThatThrownBy(() -> enforcement.bulkWrite(batch, () -> {
      for (Resource r : batch) {
        enforcement.created(r);
        stored.incrementAndGet();
      }
      return null;
    })).isInstanceOf(UnprocessableEntityException.class);
    assertThat(stored.get()).as("the Medications were accepted, the Patient refused").isEqualTo(batch.size() - 1);
  }

  private static List<Resource> examplesOf(String... types) {
    List<String> wanted = List.of(types);
    return LianyaoPackage.get().examples(CTX).stream()
        .filter(r -> wanted.contains(r.fhirType()))
        .map(r -> ((Resource) r).copy())
        .toList();
  }
}
