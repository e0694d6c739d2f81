package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsaDrugCodeValidatorTest {

  private static final String METFORMIN = "XA10BAE021A010010201650";
  private static final String AMOXICILLIN = "XJ01CAA040A001010102699";

  @Test
  void parsesMetformin() {
    NhsaDrugCode code = NhsaDrugCodeValidator.parse(METFORMIN);
    assertThat(code.type()).isEqualTo('X');
    assertThat(code.isWesternMedicine()).isTrue();
    assertThat(code.classification()).isEqualTo("A10BA"); // biguanides
    assertThat(code.genericNameCode()).isEqualTo("E021");
    assertThat(code.dosageFormCode()).isEqualTo("A010");
    assertThat(code.remainder()).isEqualTo("010201650");
    assertThat(code.provincialVariant()).isFalse();
    assertThat(code.genericFormKey()).isEqualTo("XA10BAE021A010");
  }

  @Test
  void parsesAmoxicillin() {
    NhsaDrugCode code = NhsaDrugCodeValidator.parse(AMOXICILLIN);
    assertThat(code.classification()).isEqualTo("J01CA"); // penicillins with extended spectrum
    assertThat(code.genericNameCode()).isEqualTo("A040");
    assertThat(code.dosageFormCode()).isEqualTo("A001");
    assertThat(NhsaDrugCodeValidator.validate(AMOXICILLIN)).isEmpty();
  }

  @Test
  void acceptsProvincialTwentyCharacterVariant() {
    NhsaDrugCode code = NhsaDrugCodeValidator.parse(METFORMIN.substring(0, 20));
    assertThat(code.provincialVariant()).isTrue();
    assertThat(code.remainder()).isEqualTo("010201");
    assertThat(code.classification()).isEqualTo("A10BA");
  }

  @Test
  void acceptsChinesePatentMedicineWithoutAtcPattern() {
    // Z codes use the NHSA TCM classification; only the structure is checked.
    assertThat(NhsaDrugCodeValidator.validate("ZA12BAA0001010101234567")).isEmpty();
    assertThat(NhsaDrugCodeValidator.parse("ZA12BAA0001010101234567").isChinesePatentMedicine()).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "XA10BAE021A01001020165", // 22 characters
      "XA10BAE021A0100102016500", // 24 characters
      "xa10bae021a010010201650", // lower case
      "XA10BAE021A01001020165-", // punctuation
  })
  void rejectsMalformed(String code) {
    assertThat(NhsaDrugCodeValidator.validate(code)).contains(NhsaDrugCodeValidator.Problem.FORMAT);
  }

  @Test
  void rejectsWrongTypeLetter() {
    assertThat(NhsaDrugCodeValidator.validate("CA10BAE021A010010201650")).contains(NhsaDrugCodeValidator.Problem.TYPE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "X010BAE021A010010201650", // digit where the ATC main group letter belongs
      "XE10BAE021A010010201650", // E is not an ATC main group
      "XA1XBAE021A010010201650", // letter in the therapeutic-group digits
      "XA10B1E021A010010201650", // digit in the chemical-subgroup letters
  })
  void rejectsWesternCodeWithoutAtcGroup(String code) {
    assertThat(NhsaDrugCodeValidator.validate(code)).contains(NhsaDrugCodeValidator.Problem.ATC_CLASS);
  }

  @Test
  void parseThrowsTypedProblem() {
    assertThatThrownBy(() -> NhsaDrugCodeValidator.parse("X"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class,
            e -> assertThat(e.problem()).isEqualTo(NhsaDrugCodeValidator.Problem.FORMAT));
  }
}
