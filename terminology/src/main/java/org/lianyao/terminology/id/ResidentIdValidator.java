package org.lianyao.terminology.id;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * 居民身份证号 (18-digit resident ID number) per GB 11643: 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character.
 */
public final class ResidentIdValidator {

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK_CHARS = "10X98765432";

  private ResidentIdValidator() {}

  /** Check character for the first 17 digits. */
  public static char checkChar(String first17) {
    if (first17 == null || first17.length() != 17 || !first17.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("expected 17 digits");
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK_CHARS.charAt(sum % 11);
  }

  /** Validates format, birth date and check character; returns the problem, if any. */
  public static Optional<Problem> validate(String id) {
    if (id == null || !id.matches("\\d{17}[0-9Xx]")) {
      return Optional.of(Problem.FORMAT);
    }
    if (birthDate(id).isEmpty()) {
      return Optional.of(Problem.BIRTH_DATE);
    }
    if (Character.toUpperCase(id.charAt(17)) != checkChar(id.substring(0, 17))) {
      return Optional.of(Problem.CHECK_DIGIT);
    }
    return Optional.empty();
  }

  public static boolean isValid(String id) {
    return validate(id).isEmpty();
  }

  /** Birth date encoded in positions 7-14, if it is a real date. */
  public static Optional<LocalDate> birthDate(String id) {
    if (id == null || id.length() < 14) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.of(
          Integer.parseInt(id.substring(6, 10)),
          Integer.parseInt(id.substring(10, 12)),
          Integer.parseInt(id.substring(12, 14))));
    } catch (NumberFormatException | DateTimeException e) {
      return Optional.empty();
    }
  }

  /** true for male (odd sequence digit), false for female. */
  public static boolean isMale(String id) {
    return (id.charAt(16) - '0') % 2 == 1;
  }

  /** Masks an ID for logs and displays: region and last character kept. */
  public static String mask(String id) {
    if (id == null || id.length() < 8) {
      return "****";
    }
    return id.substring(0, 6) + "*".repeat(id.length() - 7) + id.charAt(id.length() - 1);
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("身份证号格式错误：应为17位数字加1位校验码", "resident ID must be 17 digits plus a check character"),
    BIRTH_DATE("身份证号中的出生日期无效", "birth date encoded in the resident ID is not a valid date"),
    CHECK_DIGIT("身份证号校验码错误（GB 11643）", "resident ID check character is wrong (GB 11643 MOD 11-2)");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("resident-id", this);
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
