package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NmpaStandardCodeValidatorTest {

  /**
   * Synthetic 86901234000012. By hand, GS1 weights 3,1,3,… from the rightmost data digit:
   * data 8 6 9 0 1 2 3 4 0 0 0 0 1 read right to left: 1·3 + 0 + 0 + 0 + 0 + 4·1 + 3·3 + 2·1 + 1·3
   * + 0·1 + 9·3 + 6·1 + 8·3 = 3+4+9+2+3+27+6+24 = 78; (10 − 8) mod 10 = 2.
   */
  private static final String SYNTHETIC_1 = "86901234000012";

  /** Synthetic 86900001000019: 1·3 + 1·1 (the 1 in position 8) + 9·3 + 6·1 + 8·3 = 61 → 9. */
  private static final String SYNTHETIC_2 = "86900001000019";

  @Test
  void computesCheckDigit() {
    assertThat(NmpaStandardCodeValidator.checkDigit("8690123400001")).isEqualTo(2);
    assertThat(NmpaStandardCodeValidator.checkDigit("8690000100001")).isEqualTo(9);
  }

  @Test
  void acceptsValidCodes() {
    assertThat(NmpaStandardCodeValidator.validate(SYNTHETIC_1)).isEmpty();
    assertThat(NmpaStandardCodeValidator.validate(SYNTHETIC_2)).isEmpty();
  }

  @Test
  void rejectsWrongCheckDigit() {
    assertThat(NmpaStandardCodeValidator.validate("86901234000013")).contains(NmpaStandardCodeValidator.Problem.CHECK_DIGIT);
    assertThat(NmpaStandardCodeValidator.validate("86910234000012")).as("transposed digits")
        .contains(NmpaStandardCodeValidator.Problem.CHECK_DIGIT);
  }

  @Test
  void rejectsOtherCountryPrefix() {
    // 69… is a valid GS1 check digit layout but not a GB 18937 drug code.
    assertThat(NmpaStandardCodeValidator.validate("06901234567892")).contains(NmpaStandardCodeValidator.Problem.COUNTRY_PREFIX);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"8690123400001", "869012340000120", "8690123400001A", "86 90123400001"})
  void rejectsMalformed(String code) {
    assertThat(NmpaStandardCodeValidator.validate(code)).contains(NmpaStandardCodeValidator.Problem.FORMAT);
  }
}
