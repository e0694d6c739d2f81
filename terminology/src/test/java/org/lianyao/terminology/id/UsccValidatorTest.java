package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UsccValidatorTest {

  /**
   * The public GB 32100 example 91350100M000100Y43. By hand, values (0-9, A=10 … H=17, J=18, K=19,
   * L=20, M=21, N=22, P=23, Q=24, R=25, T=26, U=27, W=28, X=29, Y=30) × weights
   * 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
   * 9·1 + 1·3 + 3·9 + 5·27 + 0 + 1·26 + 0 + 0 + M21·20 + 0 + 0 + 0 + 1·8 + 0 + 0 + Y30·30 + 4·28
   * = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; (31 − 28) mod 31 = 3 → '3'.
   */
  private static final String GB_EXAMPLE = "91350100M000100Y43";

  /**
   * Synthetic 91500112MA5U7AB12J. By hand: 9·1 + 1·3 + 5·9 + 0 + 0 + 1·26 + 1·16 + 2·17 + M21·20
   * + A10·29 + 5·25 + U27·13 + 7·8 + A10·24 + B11·10 + 1·30 + 2·28
   * = 9+3+45+26+16+34+420+290+125+351+56+240+110+30+56 = 1811; 1811 mod 31 = 13; 31 − 13 = 18 → 'J'.
   */
  private static final String SYNTHETIC = "91500112MA5U7AB12J";

  @Test
  void computesCheckCharacters() {
    assertThat(UsccValidator.checkChar("91350100M000100Y4")).isEqualTo('3');
    assertThat(UsccValidator.checkChar("91500112MA5U7AB12")).isEqualTo('J');
  }

  @Test
  void acceptsValidCodes() {
    assertThat(UsccValidator.validate(GB_EXAMPLE)).isEmpty();
    assertThat(UsccValidator.validate(SYNTHETIC)).isEmpty();
  }

  @Test
  void checkValueZeroMapsToDigitZero() {
    // A weighted sum that is a multiple of 31 gives (31 − 0) mod 31 = 0, not 31: all zeros has sum 0.
    // "10000000000000001": 1·1 + 1·28 = 29 → 31 − 29 = 2.
    assertThat(UsccValidator.checkChar("00000000000000000")).isEqualTo('0');
    assertThat(UsccValidator.isValid("000000000000000000")).isTrue();
    assertThat(UsccValidator.checkChar("10000000000000001")).isEqualTo('2');
  }

  @Test
  void rejectsWrongCheckCharacter() {
    assertThat(UsccValidator.validate("91350100M000100Y44")).contains(UsccValidator.Problem.CHECK_CHAR);
    // Transposition of two characters is caught too.
    assertThat(UsccValidator.validate("91350100M000100Y34")).contains(UsccValidator.Problem.CHECK_CHAR);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "91350100M000100Y4", // 17 characters
      "91350100M000100Y433", // 19 characters
      "91350100I000100Y43", // I is not in the alphabet
      "91350100O000100Y43", // O
      "91350100S000100Y43", // S
      "91350100V000100Y43", // V
      "91350100Z000100Y43", // Z
      "91350100m000100Y43", // lower case is not canonical
  })
  void rejectsMalformed(String uscc) {
    assertThat(UsccValidator.validate(uscc)).contains(UsccValidator.Problem.FORMAT);
  }

  @Test
  void checkCharRejectsBadInput() {
    assertThatThrownBy(() -> UsccValidator.checkChar("9135010OM000100Y4")).isInstanceOf(IllegalArgumentException.class);
  }
}
