package org.lianyao.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.id.ResidentIdValidator;

/** The demo data must itself be valid: real check digits, IDs consistent with birth and gender. */
class DemoConsortiumBundleTest {

  private final Bundle bundle = load();

  @Test
  void tenPatientsWithValidResidentIdsConsistentWithBirthDateAndGender() {
    List<Patient> patients = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).map(Patient.class::cast).toList();
    assertThat(patients).hasSize(10);
    for (Patient p : patients) {
      String id = p.getIdentifier().stream().filter(i -> IdentifierSystems.RESIDENT_ID.equals(i.getSystem()))
          .map(Identifier::getValue).findFirst().orElseThrow();
      assertThat(ResidentIdValidator.validate(id)).as(id).isEmpty();
      assertThat(ResidentIdValidator.birthDate(id)).as(id)
          .contains(new java.sql.Date(p.getBirthDate().getTime()).toLocalDate());
      assertThat(ResidentIdValidator.isMale(id)).as(id).isEqualTo(p.getGender() == AdministrativeGender.MALE);
    }
  }

  @Test
  void fourMembersIdentifiedByNhsaCodeAndEveryEntryIsAConditionalUpdate() {
    List<String> codes = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Organization.class::isInstance).map(Organization.class::cast)
        .flatMap(o -> o.getIdentifier().stream())
        .filter(i -> IdentifierSystems.NHSA_INSTITUTION_CODE.equals(i.getSystem()))
        .map(Identifier::getValue).toList();
    assertThat(codes).containsExactlyInAnyOrder("H50011200001", "H50011200002", "H50011200003", "H50011200004");
    assertThat(bundle.getEntry()).allSatisfy(e -> {
      assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
      assertThat(e.getRequest().getUrl()).contains("?identifier=");
    });
  }

  private static Bundle load() {
    try (InputStream in = DemoConsortiumBundleTest.class.getResourceAsStream("/demo/consortium.json")) {
      return FhirContext.forR4Cached().newJsonParser()
          .parseResource(Bundle.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
