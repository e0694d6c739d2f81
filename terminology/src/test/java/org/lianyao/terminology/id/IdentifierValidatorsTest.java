package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Identifier;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.id.IdentifierValidators.CommonProblem;

class IdentifierValidatorsTest {

  @Test
  void dispatchesBySystem() {
    assertThat(IdentifierValidators.validate(IdentifierSystems.RESIDENT_ID, "11010519491231002X")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.RESIDENT_ID, "110105194912310021"))
        .contains(ResidentIdValidator.Problem.CHECK_DIGIT);
    assertThat(IdentifierValidators.validate(IdentifierSystems.USCC, "91350100M000100Y43")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.USCC, "91350100M000100Y44"))
        .contains(UsccValidator.Problem.CHECK_CHAR);
    assertThat(IdentifierValidators.validate(IdentifierSystems.NHSA_INSTITUTION_CODE, "H50011200001")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.NHSA_INSTITUTION_CODE, "50011200001"))
        .contains(NhsaInstitutionCodeValidator.Problem.FORMAT);
    assertThat(IdentifierValidators.validate(IdentifierSystems.NHSA_DRUG_CODE, "XA10BAE021A010010201650")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.NHSA_DRUG_CODE, "QA10BAE021A010010201650"))
        .contains(NhsaDrugCodeValidator.Problem.TYPE);
    assertThat(IdentifierValidators.validate(IdentifierSystems.NMPA_STANDARD_CODE, "86901234000012")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.NMPA_STANDARD_CODE, "86901234000013"))
        .contains(NmpaStandardCodeValidator.Problem.CHECK_DIGIT);
    assertThat(IdentifierValidators.validate(IdentifierSystems.TRACEABILITY_CODE, "81234560123456789012")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.TRACEABILITY_CODE, "(01)09506000134352(21)A1")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.TRACEABILITY_CODE, "(01)09506000134351(21)A1"))
        .contains(TraceabilityCodeValidator.Problem.GTIN_CHECK_DIGIT);
  }

  @Test
  void institutionScopedSystemsCheckTheInstitutionCode() {
    String good = IdentifierSystems.prescriptionNumberSystem("H50011200001");
    assertThat(IdentifierValidators.validate(good, "CF20251123000017")).isEmpty();
    assertThat(IdentifierValidators.validate(IdentifierSystems.prescriptionNumberSystem("HOSP1"), "1"))
        .contains(CommonProblem.SYSTEM_INSTITUTION_CODE);
    assertThat(IdentifierValidators.validate(IdentifierSystems.practitionerCodeSystem(""), "D001"))
        .contains(CommonProblem.SYSTEM_INSTITUTION_CODE);
    assertThat(IdentifierValidators.validate(IdentifierSystems.localRecordNumberSystem("H50011200001"), "MZ0001")).isEmpty();
    assertThat(IdentifierValidators.hasRule(good)).isTrue();
  }

  @Test
  void systemsWithoutRulesAcceptAnyNonBlankValue() {
    assertThat(IdentifierValidators.hasRule(IdentifierSystems.NMPA_APPROVAL_NUMBER)).isFalse();
    assertThat(IdentifierValidators.validate(IdentifierSystems.NMPA_APPROVAL_NUMBER, "国药准字H20003263")).isEmpty();
    assertThat(IdentifierValidators.validate("http://example.org/other", "anything")).isEmpty();
  }

  @Test
  void blankValueIsAlwaysAProblem() {
    assertThat(IdentifierValidators.validate(IdentifierSystems.NMPA_APPROVAL_NUMBER, " ")).contains(CommonProblem.EMPTY_VALUE);
    assertThat(IdentifierValidators.validate(IdentifierSystems.USCC, null)).contains(CommonProblem.EMPTY_VALUE);
  }

  @Test
  void validatesFhirIdentifiers() {
    assertThat(IdentifierValidators.validate(new Identifier().setSystem(IdentifierSystems.USCC).setValue("91350100M000100Y43")))
        .isEmpty();
    assertThat(IdentifierValidators.validate(new Identifier().setSystem(IdentifierSystems.USCC).setValue("91350100M000100Y4")))
        .hasValueSatisfying(p -> {
          assertThat(p.code()).isEqualTo("uscc.format");
          assertThat(p.message()).startsWith("统一社会信用代码格式错误").contains("(USCC must be 18 characters");
        });
    assertThat(IdentifierValidators.validate(new Identifier().setValue("no system"))).isEmpty();
    assertThat(IdentifierValidators.validate(new Identifier())).contains(CommonProblem.EMPTY_VALUE);
  }

  @Test
  void everyRuleSystemHasANamingSystemConstant() {
    for (String system : new String[] {IdentifierSystems.RESIDENT_ID, IdentifierSystems.USCC,
        IdentifierSystems.NHSA_INSTITUTION_CODE, IdentifierSystems.NHSA_DRUG_CODE,
        IdentifierSystems.NMPA_STANDARD_CODE, IdentifierSystems.TRACEABILITY_CODE}) {
      assertThat(IdentifierValidators.hasRule(system)).as(system).isTrue();
    }
  }
}
