package org.lianyao.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;

/** Issue 3 "done when": profiles served, terminology operations offline, writes enforced. */
class ConformanceIT extends PostgresIntegrationTest {

  @Test
  void everyProfiledTypeHasItsLianyaoProfileOnTheServer() {
    IGenericClient client = fhirClient();
    for (var entry : LianyaoPackage.profileUrls().entrySet()) {
      Bundle found = client.search().forResource(StructureDefinition.class)
          .where(StructureDefinition.URL.matches().value(entry.getValue()))
          .returnBundle(Bundle.class).execute();
      assertThat(found.getEntry()).as(entry.getKey()).hasSize(1);
      StructureDefinition sd = (StructureDefinition) found.getEntryFirstRep().getResource();
      assertThat(sd.getUrl()).startsWith("http://lianyao.org/fhir/StructureDefinition/");
      assertThat(sd.getType()).isEqualTo(entry.getKey());
      assertThat(sd.getSnapshot().getElement()).isNotEmpty();
    }
  }

  @Test
  void lookupOfNationalRouteCodeOneIsOral() {
    Parameters out = fhirClient().operation().onType(CodeSystem.class).named("$lookup")
        .withParameter(Parameters.class, "system", new UriType("urn:oid:2.16.156.10011.2.3.1.158"))
        .andParameter("code", new CodeType("1"))
        .execute();
    assertThat(((StringType) out.getParameter("display").getValue()).getValue()).isEqualTo("口服");
  }

  @Test
  void expandOfTheRouteValueSetListsTheNationalCodesWithChineseDisplays() {
    ValueSet expanded = fhirClient().operation().onType(ValueSet.class).named("$expand")
        .withParameter(Parameters.class, "url", new UriType("http://lianyao.org/fhir/ValueSet/route"))
        .returnResourceType(ValueSet.class)
        .execute();
    assertThat(expanded.getExpansion().getContains())
        .anySatisfy(c -> {
          assertThat(c.getSystem()).isEqualTo("urn:oid:2.16.156.10011.2.3.1.158");
          assertThat(c.getCode()).isEqualTo("1");
          assertThat(c.getDisplay()).isEqualTo("口服");
        })
        .noneSatisfy(c -> assertThat(c.getCode()).isEqualTo("999"));
  }

  @Test
  void validateCodeAcceptsAChronicDiseaseGroupAndRefusesAnInventedOne() {
    String url = "http://lianyao.org/fhir/ValueSet/chronic-disease-group";
    String system = "http://lianyao.org/fhir/CodeSystem/chronic-disease-group";
    assertThat(validateCode(url, system, "hypertension")).isTrue();
    assertThat(validateCode(url, system, "no-such-group")).isFalse();
  }

  @Test
  void translateMapsTheHl7RouteOralToTheNationalCode() {
    Parameters out = fhirClient().operation().onType(ConceptMap.class).named("$translate")
        .withParameter(Parameters.class, "url", new UriType("http://lianyao.org/fhir/ConceptMap/hl7-route-to-national"))
        .andParameter("system", new UriType("http://terminology.hl7.org/CodeSystem/v2-0162"))
        .andParameter("code", new CodeType("PO"))
        .execute();
    assertThat(((BooleanType) out.getParameter("result").getValue()).booleanValue()).isTrue();
    Coding concept = (Coding) out.getParameter().stream()
        .filter(p -> p.getName().equals("match"))
        .flatMap(p -> p.getPart().stream())
        .filter(p -> p.getName().equals("concept"))
        .findFirst().orElseThrow().getValue();
    assertThat(concept.getSystem()).isEqualTo("urn:oid:2.16.156.10011.2.3.1.158");
    assertThat(concept.getCode()).isEqualTo("1");
  }

  private boolean validateCode(String valueSetUrl, String system, String code) {
    Parameters out = fhirClient().operation().onType(ValueSet.class).named("$validate-code")
        .withParameter(Parameters.class, "url", new UriType(valueSetUrl))
        .andParameter("system", new UriType(system))
        .andParameter("code", new CodeType(code))
        .execute();
    return ((BooleanType) out.getParameter("result").getValue()).booleanValue();
  }

  @Test
  void residentIdWithWrongCheckDigitIsRejectedAndTheCorrectOneStoredWithProfile() {
    Patient bad = patient("500112199001010018"); // correct check character is 7
    assertThatThrownBy(() -> fhirClient().create().resource(bad).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(422);
          OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
          assertThat(oo.getIssue()).anySatisfy(i -> {
            assertThat(i.getDetails().getText()).contains("身份证号校验码错误");
            assertThat(i.getDiagnostics()).contains("check character");
          });
        });

    MethodOutcome created = fhirClient().create().resource(patient("500112199001010017")).execute();
    assertThat(created.getCreated()).isTrue();
    Patient stored = fhirClient().read().resource(Patient.class).withId(created.getId().toUnqualifiedVersionless()).execute();
    assertThat(stored.getMeta().getProfile()).extracting(p -> p.getValue())
        .contains("http://lianyao.org/fhir/StructureDefinition/lianyao-patient");
  }

  @Test
  void medicationRequestWithoutPatientIsRejected() {
    // Authorised (the hospital writes its own prescription) but without a subject.
    String hospital = fhirClient().search().forResource("Organization")
        .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("identifier").exactly()
            .systemAndCode(IdentifierSystems.NHSA_INSTITUTION_CODE, "H50011200001"))
        .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource().getIdElement().toUnqualifiedVersionless().getValue();
    MedicationRequest mr = new MedicationRequest();
    mr.addExtension("http://lianyao.org/fhir/StructureDefinition/prescribing-institution",
        new org.hl7.fhir.r4.model.Reference(hospital));
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    mr.addIdentifier().setSystem(IdentifierSystems.prescriptionNumberSystem("H50011200001")).setValue("NOPAT-1");
    mr.getMedicationCodeableConcept().setText("苯磺酸氨氯地平片");
    assertThatThrownBy(() -> fhirClient("H50011200001").create().resource(mr).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
          OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
          assertThat(oo.getIssue()).anySatisfy(i -> {
            assertThat(i.getDetails().getText()).contains("缺少必填元素").contains("MedicationRequest.subject");
            assertThat(i.getDiagnostics()).contains("subject");
          });
          assertThat(oo.getIssue()).allSatisfy(i -> assertThat(i.getDetails().getText()).matches(".*\\p{IsHan}.*"));
        });
  }

  @Test
  void validateOperationUsesTheSameRules() {
    OperationOutcome oo;
    try {
      oo = (OperationOutcome) fhirClient().validate().resource(patient("500112199001010018")).execute()
          .getOperationOutcome();
    } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e) {
      // HAPI answers 412 when the resource has errors
      oo = (OperationOutcome) e.getOperationOutcome();
    }
    assertThat(oo.getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics())
        .contains("身份证号校验码错误").contains("check character"));
  }

  private static Patient patient(String residentId) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue(residentId);
    p.addName().setText("规范测试").setFamily("规").setGiven(List.of(new StringType("范测试")));
    p.setGender(AdministrativeGender.MALE);
    p.setBirthDateElement(new DateType("1990-01-01"));
    return p;
  }
}
