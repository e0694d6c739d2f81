package org.lianyao.security.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/** Ownership by direct references; look-ups through the directory are covered by AuthorizationIT. */
class ResourceOwnershipTest {

  private static final ResourceOwnership.Institution CLINIC = new ResourceOwnership.Institution("H50011200004", "1004");
  private final ResourceOwnership ownership = new ResourceOwnership(null);

  private static MedicationRequest prescription(Reference institution, String numberSystemCode) {
    MedicationRequest mr = new MedicationRequest();
    if (institution != null) {
      mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, institution);
    }
    mr.addIdentifier().setSystem(IdentifierSystems.prescriptionNumberSystem(numberSystemCode)).setValue("1");
    mr.setRequester(new Reference("Practitioner/7"));
    return mr;
  }

  @Test
  void ownInstitutionByIdIdentifierOrConditionalReference() {
    assertThat(ownership.checkOwnedBy(prescription(new Reference("Organization/1004"), "H50011200004"), CLINIC, true)).isEmpty();
    assertThat(ownership.checkOwnedBy(prescription(new Reference("Organization/1004/_history/2"), "H50011200004"), CLINIC, true)).isEmpty();
    assertThat(ownership.checkOwnedBy(prescription(new Reference().setIdentifier(new Identifier()
        .setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE).setValue("H50011200004")), "H50011200004"), CLINIC, true)).isEmpty();
    assertThat(ownership.checkOwnedBy(prescription(new Reference("Organization?identifier="
        + IdentifierSystems.NHSA_INSTITUTION_CODE + "%7CH50011200004"), "H50011200004"), CLINIC, true)).isEmpty();
  }

  @Test
  void otherOrUnattributableInstitutionsAreRefused() {
    assertThat(ownership.checkOwnedBy(prescription(new Reference("Organization/1001"), "H50011200004"), CLINIC, true))
        .hasValueSatisfying(d -> assertThat(d.english()).contains("references another institution"));
    assertThat(ownership.checkOwnedBy(prescription(new Reference("Organization/1004"), "H50011200001"), CLINIC, true))
        .hasValueSatisfying(d -> assertThat(d.english()).contains("belongs to institution H50011200001"));
    assertThat(ownership.checkOwnedBy(prescription(null, "H50011200004"), CLINIC, true))
        .hasValueSatisfying(d -> assertThat(d.english()).contains("cannot attribute"));
    assertThat(ownership.checkOwnedBy(prescription(new Reference("urn:uuid:8c3c0f9e-0000-4000-8000-000000000000"),
        "H50011200004"), CLINIC, true)).isPresent();
    assertThat(ownership.checkOwnedBy(prescription(new Reference("http://elsewhere.example/fhir/Organization/1004"),
        "H50011200004"), CLINIC, true)).isPresent();
  }

  @Test
  void dispensesShortagesAndFormularies() {
    MedicationDispense md = new MedicationDispense();
    md.addExtension(Extensions.DISPENSING_INSTITUTION, new Reference("Organization/1001"));
    assertThat(ownership.checkOwnedBy(md, CLINIC, true)).isPresent();

    SupplyRequest sr = new SupplyRequest().setRequester(new Reference("Organization/1004"));
    assertThat(ownership.checkOwnedBy(sr, CLINIC, true)).isEmpty();

    InsurancePlan member = new InsurancePlan().setOwnedBy(new Reference("Organization/1004"));
    member.addType(new CodeableConcept(new Coding(CodeSystems.FORMULARY_KIND, "member", null)));
    assertThat(ownership.checkOwnedBy(member, CLINIC, true)).isEmpty();
    InsurancePlan consortium = new InsurancePlan().setOwnedBy(new Reference("Organization/1004"));
    consortium.addType(new CodeableConcept(new Coding(CodeSystems.FORMULARY_KIND, "consortium", null)));
    assertThat(ownership.checkOwnedBy(consortium, CLINIC, true)).isPresent();

    assertThat(ownership.checkOwnedBy(new Patient(), CLINIC, true)).as("shared master data").isEmpty();
  }

  @Test
  void readsTellForeignFromOwnWithoutLookUps() {
    assertThat(ownership.isForeign(prescription(new Reference("Organization/1004"), "H50011200004"), CLINIC)).isFalse();
    assertThat(ownership.isForeign(prescription(new Reference("Organization/1001"), "H50011200001"), CLINIC)).isTrue();
    assertThat(ownership.isForeign(prescription(new Reference("Organization/1004"), "H50011200004"), null)).isTrue();
  }
}
