package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Gs1Test {

  @Test
  void gs1ExampleGtin() {
    // GS1's documentation GTIN 09506000134352. By hand, right to left from the last data digit:
    // 5·3 + 3·1 + 4·3 + 3·1 + 1·3 + 0 + 0 + 0 + 6·3 + 0 + 5·3 + 9·1 + 0 = 78 → (10 − 8) mod 10 = 2.
    assertThat(Gs1.checkDigit("0950600013435")).isEqualTo(2);
    assertThat(Gs1.hasValidCheckDigit("09506000134352")).isTrue();
    assertThat(Gs1.hasValidCheckDigit("09506000134353")).isFalse();
  }

  @Test
  void ean13() {
    // EAN-13 4006381333931 (widely used example): right to left 3·3+9·1+3·3+3·1+3·3+1·1+8·3+3·1+6·3+0+0+4·1
    // = 9+9+9+3+9+1+24+3+18+4 = 89 → 1.
    assertThat(Gs1.checkDigit("400638133393")).isEqualTo(1);
  }

  @Test
  void multipleOfTenGivesZero() {
    assertThat(Gs1.checkDigit("0000000000000")).isZero();
  }

  @Test
  void rejectsNonDigits() {
    assertThatThrownBy(() -> Gs1.checkDigit("12a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Gs1.checkDigit("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Gs1.hasValidCheckDigit("1")).isFalse();
    assertThat(Gs1.hasValidCheckDigit(null)).isFalse();
  }
}
