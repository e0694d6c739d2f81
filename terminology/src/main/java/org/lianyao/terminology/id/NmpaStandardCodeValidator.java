package org.lianyao.terminology.id;

import java.util.Optional;

/**
 * 药品本位码 (NMPA drug standard code, GB 18937): 14 digits, country prefix {@code 86}, last digit a
 * GS1 mod-10 check digit. The middle digits (category, drug, package) are not checked: their split
 * is not confirmed and the check digit already catches single-digit typos.
 */
public final class NmpaStandardCodeValidator {

  /** GB 18937 country code for China. */
  public static final String COUNTRY_PREFIX = "86";
  public static final int LENGTH = 14;

  private NmpaStandardCodeValidator() {}

  /** Check digit for the first 13 digits. */
  public static int checkDigit(String first13) {
    if (first13 == null || first13.length() != LENGTH - 1) {
      throw new IllegalArgumentException("expected 13 digits");
    }
    return Gs1.checkDigit(first13);
  }

  public static Optional<Problem> validate(String code) {
    if (code == null || code.length() != LENGTH || !Gs1.isDigits(code)) {
      return Optional.of(Problem.FORMAT);
    }
    if (!code.startsWith(COUNTRY_PREFIX)) {
      return Optional.of(Problem.COUNTRY_PREFIX);
    }
    if (!Gs1.hasValidCheckDigit(code)) {
      return Optional.of(Problem.CHECK_DIGIT);
    }
    return Optional.empty();
  }

  public static boolean isValid(String code) {
    return validate(code).isEmpty();
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("药品本位码格式错误：应为14位数字", "NMPA standard code must be 14 digits"),
    COUNTRY_PREFIX("药品本位码应以国别码86开头", "NMPA standard code must start with country code 86"),
    CHECK_DIGIT("药品本位码校验位错误（GB 18937）", "NMPA standard code check digit is wrong (GS1 mod 10)");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("nmpa-standard-code", this);
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
