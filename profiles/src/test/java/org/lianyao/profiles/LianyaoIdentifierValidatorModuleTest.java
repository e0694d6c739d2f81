package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.id.ResidentIdValidator;

/** The identifier module alone, on resources built in code (no instance validator, so fast and focused). */
class LianyaoIdentifierValidatorModuleTest {

  private static final LianyaoIdentifierValidatorModule MODULE = new LianyaoIdentifierValidatorModule();
  /** 张伟, male, born 1956-03-12. */
  private static final String ZHANG_WEI = "500112195603120119";

  @Test
  void validPersonGivesNoMessage() {
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03-12", AdministrativeGender.MALE))).isEmpty();
  }

  @Test
  void wrongCheckCharacterIsAnErrorWithChineseAndEnglishText() {
    List<SingleValidationMessage> messages = MODULE.validate(patient("500112195603120118", "1956-03-12", AdministrativeGender.MALE));
    assertThat(messages).singleElement().satisfies(m -> {
      assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.ERROR);
      assertThat(m.getLocationString()).isEqualTo("Patient.identifier[0].value");
      assertThat(m.getMessageId()).isEqualTo("resident-id.check-digit");
      assertThat(m.getMessage()).isEqualTo("身份证号校验码错误（GB 11643） / resident ID check character is wrong (GB 11643 MOD 11-2)");
    });
  }

  @Test
  void checkCharacterXIsAccepted() {
    String first17 = "50011219720214168";
    assertThat(ResidentIdValidator.checkChar(first17)).isEqualTo('X');
    assertThat(MODULE.validate(patient(first17 + "X", "1972-02-14", AdministrativeGender.FEMALE))).isEmpty();
  }

  @Test
  void birthDateIsComparedAtItsOwnPrecision() {
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956", AdministrativeGender.MALE))).isEmpty();
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03", AdministrativeGender.MALE))).isEmpty();
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1957", AdministrativeGender.MALE)))
        .singleElement().satisfies(m -> {
          assertThat(m.getMessageId()).isEqualTo(LianyaoIdentifierValidatorModule.BIRTH_DATE_MISMATCH);
          assertThat(m.getLocationString()).isEqualTo("Patient.birthDate");
          assertThat(m.getMessage()).startsWith("出生日期与身份证号不一致").contains("1956-03-12");
        });
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03-13", AdministrativeGender.MALE)))
        .extracting(SingleValidationMessage::getMessageId).containsExactly(LianyaoIdentifierValidatorModule.BIRTH_DATE_MISMATCH);
  }

  @Test
  void genderMismatchIsReportedOnlyForMaleOrFemale() {
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03-12", AdministrativeGender.FEMALE)))
        .singleElement().satisfies(m -> {
          assertThat(m.getMessageId()).isEqualTo(LianyaoIdentifierValidatorModule.GENDER_MISMATCH);
          assertThat(m.getLocationString()).isEqualTo("Patient.gender");
          assertThat(m.getMessage()).contains("身份证号第17位表示男性");
        });
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03-12", AdministrativeGender.UNKNOWN))).isEmpty();
    assertThat(MODULE.validate(patient(ZHANG_WEI, "1956-03-12", null))).isEmpty();
  }

  @Test
  void invalidIdIsNotAlsoComparedWithTheBirthDate() {
    // The sex digit and date of a mistyped ID mean nothing; one message is enough.
    assertThat(MODULE.validate(patient("500112195603120118", "1990-01-01", AdministrativeGender.FEMALE)))
        .extracting(SingleValidationMessage::getMessageId).containsExactly("resident-id.check-digit");
  }

  @Test
  void practitionerResidentIdIsCheckedToo() {
    Practitioner practitioner = new Practitioner();
    practitioner.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue("500112198203091017");
    practitioner.setGender(AdministrativeGender.FEMALE);
    assertThat(MODULE.validate(practitioner)).extracting(SingleValidationMessage::getLocationString)
        .containsExactly("Practitioner.gender");
  }

  @Test
  void bundleEntriesAndContainedResourcesAreWalked() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(patient(ZHANG_WEI, "1956-03-12", AdministrativeGender.MALE));
    bundle.addEntry().setResource(patient("500112195603120118", "1956-03-12", AdministrativeGender.MALE));
    assertThat(MODULE.validate(bundle)).extracting(SingleValidationMessage::getLocationString)
        .containsExactly("Bundle.entry[1].resource.identifier[0].value");

    MedicationRequest request = new MedicationRequest();
    request.addContained(patient(ZHANG_WEI, "1960-01-01", AdministrativeGender.MALE));
    assertThat(MODULE.validate(request)).extracting(SingleValidationMessage::getLocationString)
        .containsExactly("MedicationRequest.contained[0].birthDate");
  }

  @Test
  void codingsAndLogicalReferencesAreChecked() {
    Medication medication = new Medication();
    medication.setCode(new CodeableConcept().setText("阿托伐他汀钙片"));
    medication.getCode().addCoding().setSystem(IdentifierSystems.NMPA_STANDARD_CODE).setCode("86900695000128");
    medication.getCode().addCoding().setSystem(IdentifierSystems.NMPA_STANDARD_CODE).setCode("86900695000127");
    assertThat(MODULE.validate(medication)).singleElement().satisfies(m -> {
      assertThat(m.getLocationString()).isEqualTo("Medication.code.coding[1].code");
      assertThat(m.getMessageId()).isEqualTo("nmpa-standard-code.check-digit");
    });

    MedicationRequest request = new MedicationRequest();
    request.setPriorPrescription(new Reference().setIdentifier(new Identifier()
        .setSystem(IdentifierSystems.prescriptionNumberSystem("X50011200001")).setValue("CF1")));
    assertThat(MODULE.validate(request)).singleElement().satisfies(m -> {
      assertThat(m.getLocationString()).isEqualTo("MedicationRequest.priorPrescription.identifier.value");
      assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.WARNING);
    });
  }

  @Test
  void extensionValuesAreWalkedWithTheirType() {
    MedicationDispense dispense = new MedicationDispense();
    dispense.addExtension(Extensions.TRACEABILITY_CODE,
        new Identifier().setSystem(IdentifierSystems.TRACEABILITY_CODE).setValue("81234560000012345678"));
    dispense.addExtension(Extensions.TRACEABILITY_CODE,
        new Identifier().setSystem(IdentifierSystems.TRACEABILITY_CODE).setValue("8123-4560"));
    assertThat(MODULE.validate(dispense)).singleElement().satisfies(m -> {
      assertThat(m.getLocationString()).isEqualTo("MedicationDispense.extension[1].value.ofType(Identifier).value");
      assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.ERROR);
      assertThat(m.getMessage()).startsWith("药品追溯码格式错误");
    });
  }

  @Test
  void severityIsConfigurablePerSystem() {
    Medication medication = new Medication();
    medication.getCode().addCoding().setSystem(IdentifierSystems.NHSA_DRUG_CODE).setCode("YC10AAA052A001010100443");
    assertThat(MODULE.validate(medication)).extracting(SingleValidationMessage::getSeverity)
        .containsExactly(ResultSeverityEnum.WARNING);
    LianyaoIdentifierValidatorModule strict = MODULE.withSeverity(IdentifierSystems.NHSA_DRUG_CODE, ResultSeverityEnum.ERROR);
    assertThat(strict.validate(medication)).extracting(SingleValidationMessage::getSeverity)
        .containsExactly(ResultSeverityEnum.ERROR);
    assertThat(MODULE.validate(medication)).extracting(SingleValidationMessage::getSeverity)
        .as("the original is unchanged").containsExactly(ResultSeverityEnum.WARNING);
    LianyaoIdentifierValidatorModule lenient = MODULE.withSeverity(LianyaoIdentifierValidatorModule.CONSISTENCY,
        ResultSeverityEnum.WARNING);
    assertThat(lenient.validate(patient(ZHANG_WEI, "1957", AdministrativeGender.MALE)))
        .extracting(SingleValidationMessage::getSeverity).containsExactly(ResultSeverityEnum.WARNING);
  }

  @Test
  void worksAsAFhirValidatorModuleAndIgnoresUnparseableInput() {
    FhirValidator validator = Conformance.FHIR.newValidator();
    validator.setValidateAgainstStandardSchema(false);
    validator.setValidateAgainstStandardSchematron(false);
    validator.registerValidatorModule(MODULE);
    String json = Conformance.FHIR.newJsonParser().encodeResourceToString(
        patient("500112195603120118", "1956-03-12", AdministrativeGender.MALE));
    assertThat(validator.validateWithResult(json).getMessages())
        .extracting(SingleValidationMessage::getMessageId).containsExactly("resident-id.check-digit");
    assertThat(validator.validateWithResult("{\"resourceType\": \"Patient\", \"birthDate\": ").getMessages())
        .noneMatch(m -> m.getMessageId() != null && m.getMessageId().startsWith("resident-id"));
  }

  private static Patient patient(String residentId, String birthDate, AdministrativeGender gender) {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue(residentId);
    patient.setBirthDateElement(new DateType(birthDate));
    patient.setGender(gender);
    return patient;
  }
}
