package org.lianyao.terminology.id;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 国家医保药品分类与代码 (NHSA drug code) structure check. There is no published check digit, so
 * this catches truncation, wrong characters and codes of the wrong type (e.g. a consumable code),
 * not typos inside a segment.
 *
 * <p>Known layout (domain reference): type letter (X western / Z Chinese patent) + classification (5,
 * ATC level 4 for X) + generic-name code (4) + dosage-form code (4) + 9 more characters
 * (spec/package + enterprise; split unconfirmed) = 23. Some provincial copies hold 20-character
 * codes, taken here to be the same layout with a 6-character remainder (unconfirmed).
 */
public final class NhsaDrugCodeValidator {

  public static final int LENGTH = 23;
  public static final int PROVINCIAL_LENGTH = 20;

  /** Segment lengths of a 23-character code: type, classification, generic name, dosage form, remainder. */
  public static final List<Integer> SEGMENT_LENGTHS = List.of(1, 5, 4, 4, 9);

  /** Type letters of drug codes: X 西药, Z 中成药. */
  public static final Set<Character> TYPES = Set.of('X', 'Z');

  /** ATC level 4: anatomical main group (the 14 ATC letters), two digits, two letters, e.g. A10BA. */
  public static final Pattern ATC_LEVEL_4 = Pattern.compile("[ABCDGHJLMNPRSV]\\d{2}[A-Z]{2}");

  private static final Pattern CHARSET = Pattern.compile("[0-9A-Z]+");

  private NhsaDrugCodeValidator() {}

  public static Optional<Problem> validate(String code) {
    try {
      parse(code);
      return Optional.empty();
    } catch (InvalidIdentifierException e) {
      return Optional.of((Problem) e.problem());
    }
  }

  public static boolean isValid(String code) {
    return validate(code).isEmpty();
  }

  /**
   * Splits a valid code into its segments.
   *
   * @throws InvalidIdentifierException with a {@link Problem} if the code is invalid
   */
  public static NhsaDrugCode parse(String code) {
    if (code == null || (code.length() != LENGTH && code.length() != PROVINCIAL_LENGTH)
        || !CHARSET.matcher(code).matches()) {
      throw new InvalidIdentifierException(Problem.FORMAT);
    }
    char type = code.charAt(0);
    if (!TYPES.contains(type)) {
      throw new InvalidIdentifierException(Problem.TYPE);
    }
    int classEnd = SEGMENT_LENGTHS.get(0) + SEGMENT_LENGTHS.get(1);
    int genericEnd = classEnd + SEGMENT_LENGTHS.get(2);
    int formEnd = genericEnd + SEGMENT_LENGTHS.get(3);
    String classification = code.substring(1, classEnd);
    // Chinese patent medicines use the NHSA TCM classification, whose pattern is not confirmed.
    if (type == 'X' && !ATC_LEVEL_4.matcher(classification).matches()) {
      throw new InvalidIdentifierException(Problem.ATC_CLASS);
    }
    return new NhsaDrugCode(code, type, classification, code.substring(classEnd, genericEnd),
        code.substring(genericEnd, formEnd), code.substring(formEnd), code.length() == PROVINCIAL_LENGTH);
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("国家医保药品编码格式错误：应为23位（部分省级数据为20位）数字和大写字母",
        "NHSA drug code must be 23 (provincial variant: 20) digits and upper-case letters"),
    TYPE("国家医保药品编码应以X（西药）或Z（中成药）开头",
        "NHSA drug code must start with X (western medicine) or Z (Chinese patent medicine)"),
    ATC_CLASS("西药医保编码第2至6位应为ATC第四级分类（如A10BA）",
        "characters 2-6 of a western-medicine NHSA code must be an ATC level-4 group such as A10BA");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("nhsa-drug-code", this);
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
