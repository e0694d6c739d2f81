package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsaInstitutionCodeValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {"H50011200001", "H11010800123", "H44030500007", "H66000000001"})
  void acceptsValidCodes(String code) {
    assertThat(NhsaInstitutionCodeValidator.validate(code)).isEmpty();
  }

  @Test
  void extractsRegion() {
    assertThat(NhsaInstitutionCodeValidator.regionCode("H50011200001")).isEqualTo("500112");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "50011200001", // no type letter
      "P50011200001", // retail pharmacy letter
      "h50011200001", // lower case
      "H5001120001", // 11 digits
      "H500112000011", // 13 characters
      "H50011200O01", // letter O for zero
  })
  void rejectsMalformed(String code) {
    assertThat(NhsaInstitutionCodeValidator.validate(code)).contains(NhsaInstitutionCodeValidator.Problem.FORMAT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"H00011200001", "H99011200001", "H81000000001", "H71000000001"})
  void rejectsUnknownProvince(String code) {
    assertThat(NhsaInstitutionCodeValidator.validate(code)).contains(NhsaInstitutionCodeValidator.Problem.REGION);
  }
}
