package org.lianyao.terminology.id;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 医保定点医疗机构编码 (NHSA designated medical institution code): {@code H} + 6-digit region
 * (统筹区) code + 5-digit sequence, e.g. {@code H50011200001} (a unit in 渝北区, 重庆 500112).
 * The layout is inferred from published examples (unconfirmed), so it is kept in the constants
 * below rather than spread through code.
 */
public final class NhsaInstitutionCodeValidator {

  /** Type letter of medical institutions (retail pharmacies use other letters and are not members). */
  public static final char TYPE_LETTER = 'H';

  private static final Pattern FORMAT = Pattern.compile("H\\d{11}");

  /**
   * Province-level prefixes of the region code: GB/T 2260 provinces, plus 66, which NHSA uses for
   * the Xinjiang Production and Construction Corps (兵团) pooling areas. Hong Kong, Macao and Taiwan
   * have no NHSA institutions.
   */
  public static final Set<String> PROVINCE_PREFIXES = Set.of(
      "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
      "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "66");

  private NhsaInstitutionCodeValidator() {}

  public static Optional<Problem> validate(String code) {
    if (code == null || !FORMAT.matcher(code).matches()) {
      return Optional.of(Problem.FORMAT);
    }
    if (!PROVINCE_PREFIXES.contains(code.substring(1, 3))) {
      return Optional.of(Problem.REGION);
    }
    return Optional.empty();
  }

  public static boolean isValid(String code) {
    return validate(code).isEmpty();
  }

  /** The 6-digit region code, e.g. {@code 500112}; call only on a valid code. */
  public static String regionCode(String code) {
    return code.substring(1, 7);
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("医保定点医疗机构编码格式错误：应为H加6位区划代码和5位顺序号，如H50011200001",
        "NHSA institution code must be H + 6-digit region + 5-digit sequence, e.g. H50011200001"),
    REGION("医保定点医疗机构编码中的省级区划代码无效", "NHSA institution code has an unknown province-level region prefix");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("nhsa-institution-code", this);
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
