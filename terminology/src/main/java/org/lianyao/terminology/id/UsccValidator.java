package org.lianyao.terminology.id;

import java.util.Optional;

/**
 * 统一社会信用代码 (unified social credit code, USCC) per GB 32100: 18 characters from a 31-character
 * alphabet (digits and upper-case letters without I, O, S, V, Z, which are easily misread), the last
 * one a check character over the first 17.
 */
public final class UsccValidator {

  /** GB 32100 alphabet; a character's value is its index. */
  static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

  private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

  private UsccValidator() {}

  /**
   * Check character for the first 17 characters: {@code (31 − Σ value×weight mod 31) mod 31},
   * mapped back into the alphabet.
   *
   * @throws IllegalArgumentException if {@code first17} is not 17 alphabet characters
   */
  public static char checkChar(String first17) {
    if (first17 == null || first17.length() != 17 || !inAlphabet(first17)) {
      throw new IllegalArgumentException("expected 17 characters from " + ALPHABET);
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    return ALPHABET.charAt((31 - sum % 31) % 31);
  }

  /** Validates length, alphabet and check character. Lower-case letters are rejected (not canonical). */
  public static Optional<Problem> validate(String uscc) {
    if (uscc == null || uscc.length() != 18 || !inAlphabet(uscc)) {
      return Optional.of(Problem.FORMAT);
    }
    if (uscc.charAt(17) != checkChar(uscc.substring(0, 17))) {
      return Optional.of(Problem.CHECK_CHAR);
    }
    return Optional.empty();
  }

  public static boolean isValid(String uscc) {
    return validate(uscc).isEmpty();
  }

  private static boolean inAlphabet(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (ALPHABET.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("统一社会信用代码格式错误：应为18位，由数字和除I、O、S、V、Z以外的大写字母组成",
        "USCC must be 18 characters from 0-9 and upper-case A-Z without I, O, S, V, Z"),
    CHECK_CHAR("统一社会信用代码校验码错误（GB 32100）", "USCC check character is wrong (GB 32100 mod 31)");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("uscc", this);
    }

    @Override
    public String chinese() {
      return chinese;
    }

    @Override
    public String english() {
      return english;
    }
  }
}
