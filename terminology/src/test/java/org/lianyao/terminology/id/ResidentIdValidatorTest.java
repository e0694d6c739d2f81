package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ResidentIdValidatorTest {

  /**
   * The GB 11643 example 11010519491231002X. By hand: digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 ×
   * weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167;
   * 167 mod 11 = 2; "10X98765432"[2] = X.
   */
  private static final String GB_EXAMPLE = "11010519491231002X";

  /** Synthetic Chongqing 渝北 (500112) ID: weighted sum 205, 205 mod 11 = 7 → '5'. */
  private static final String SYNTHETIC = "500112199003071235";

  @Test
  void acceptsStandardExample() {
    assertThat(ResidentIdValidator.checkChar(GB_EXAMPLE.substring(0, 17))).isEqualTo('X');
    assertThat(ResidentIdValidator.validate(GB_EXAMPLE)).isEmpty();
    assertThat(ResidentIdValidator.isValid("11010519491231002x")).as("lower-case x is accepted").isTrue();
    assertThat(ResidentIdValidator.validate(SYNTHETIC)).isEmpty();
  }

  @Test
  void decodesBirthDateAndSex() {
    assertThat(ResidentIdValidator.birthDate(GB_EXAMPLE)).contains(LocalDate.of(1949, 12, 31));
    assertThat(ResidentIdValidator.isMale(GB_EXAMPLE)).isFalse(); // sequence 002: even → female
    assertThat(ResidentIdValidator.isMale(SYNTHETIC)).isTrue(); // sequence 123: odd → male
  }

  @Test
  void rejectsWrongCheckCharacter() {
    assertThat(ResidentIdValidator.validate("110105194912310021")).contains(ResidentIdValidator.Problem.CHECK_DIGIT);
    assertThat(ResidentIdValidator.validate("500112199003071236")).contains(ResidentIdValidator.Problem.CHECK_DIGIT);
  }

  @Test
  void rejectsImpossibleBirthDate() {
    // 1990-02-30 does not exist; the check character is irrelevant once the date fails.
    assertThat(ResidentIdValidator.validate("500112199002301235")).contains(ResidentIdValidator.Problem.BIRTH_DATE);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"11010519491231002", "11010519491231002XX", "1101051949123100ZX", " 11010519491231002X"})
  void rejectsMalformed(String id) {
    assertThat(ResidentIdValidator.validate(id)).contains(ResidentIdValidator.Problem.FORMAT);
  }

  @Test
  void checkCharRejectsBadInput() {
    assertThatThrownBy(() -> ResidentIdValidator.checkChar("1234")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void masksForLogs() {
    assertThat(ResidentIdValidator.mask(GB_EXAMPLE)).isEqualTo("110105***********X");
  }

  @Test
  void problemsCarryChineseAndEnglish() {
    for (ResidentIdValidator.Problem problem : ResidentIdValidator.Problem.values()) {
      assertThat(problem.chinese()).containsPattern("\\p{IsHan}");
      assertThat(problem.english()).matches("[ -~]+");
      assertThat(problem.code()).startsWith("resident-id.");
    }
    assertThat(ResidentIdValidator.Problem.CHECK_DIGIT.code()).isEqualTo("resident-id.check-digit");
  }
}
