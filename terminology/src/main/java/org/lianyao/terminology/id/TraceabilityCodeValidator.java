package org.lianyao.terminology.id;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 药品追溯码 (drug traceability code) check and parse. Accepts what a scanner or HIS sends:
 * <ul>
 *   <li>a 20-digit national code (码上放心 and other platforms);</li>
 *   <li>a GS1 element string, raw ({@code 01…17…10…<GS>21…}, FNC1 transmitted as GS {@code \u001D})
 *       or human-readable ({@code (01)…(17)…(10)…(21)…});</li>
 * </ul>
 * either optionally prefixed by an AIM symbology identifier such as {@code ]d2} or {@code ]C1}.
 * A national code carries no published check algorithm, so only its form is checked.
 */
public final class TraceabilityCodeValidator {

  /**
   * Split of a 20-digit national code. Only "first 7 = product id" is documented; the 9 + 4 rest is
   * the widely quoted but unconfirmed split, hence a parameter.
   */
  public record Layout(int productIdLength, int serialLength, int tailLength) {
    public static final Layout DEFAULT = new Layout(7, 9, 4);

    public Layout {
      if (productIdLength + serialLength + tailLength != NATIONAL_LENGTH
          || productIdLength <= 0 || serialLength < 0 || tailLength < 0) {
        throw new IllegalArgumentException("layout must split " + NATIONAL_LENGTH + " digits");
      }
    }
  }

  public static final int NATIONAL_LENGTH = 20;

  /** GS1 group separator, how scanners transmit FNC1 between variable-length fields. */
  public static final char GS = '\u001D';

  /** Fixed value lengths of the supported fixed-length AIs. */
  private static final Map<String, Integer> FIXED_AIS = Map.of("01", 14, "11", 6, "17", 6);
  /** Maximum value lengths of the supported variable-length AIs. */
  private static final Map<String, Integer> VARIABLE_AIS = Map.of("10", 20, "21", 20);

  /** AIM symbology identifier, e.g. ]d2 (GS1 DataMatrix), ]C1 (GS1-128), ]Q3 (GS1 QR). */
  private static final Pattern SYMBOLOGY_ID = Pattern.compile("^][A-Za-z][0-9A-Za-z]");
  private static final Pattern NATIONAL = Pattern.compile("\\d{20}");
  private static final Pattern BRACKETED_AI = Pattern.compile("\\((\\d{2,4})\\)");
  /** GS1 AI encodable character set 82 (General Specifications, figure 7.11-1). */
  private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]+");

  private TraceabilityCodeValidator() {}

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

  /** Parses with the default national layout (7 + 9 + 4). */
  public static TraceabilityCode parse(String code) {
    return parse(code, Layout.DEFAULT);
  }

  /**
   * Parses a traceability code.
   *
   * @throws InvalidIdentifierException with a {@link Problem} if the code is invalid
   */
  public static TraceabilityCode parse(String code, Layout layout) {
    if (code == null || code.isEmpty()) {
      throw new InvalidIdentifierException(Problem.FORMAT);
    }
    String body = SYMBOLOGY_ID.matcher(code).replaceFirst("");
    if (NATIONAL.matcher(body).matches()) {
      int serialEnd = layout.productIdLength() + layout.serialLength();
      return new TraceabilityCode.National(body, body.substring(0, layout.productIdLength()),
          body.substring(layout.productIdLength(), serialEnd), body.substring(serialEnd));
    }
    // A 20-digit national code never contains GS or brackets, and GS1 strings start with an AI.
    if (body.startsWith("(")) {
      return gs1(bracketed(body));
    }
    if (body.indexOf(GS) >= 0 || (body.length() > 16 && body.startsWith("01") && Gs1.isDigits(body.substring(0, 16)))) {
      return gs1(raw(body));
    }
    throw new InvalidIdentifierException(Problem.FORMAT);
  }

  private static Map<String, String> bracketed(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher matcher = BRACKETED_AI.matcher(body);
    int position = 0;
    String ai = null;
    while (matcher.find()) {
      if (ai == null && matcher.start() != 0) {
        throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
      }
      if (ai != null) {
        put(fields, ai, body.substring(position, matcher.start()));
      }
      ai = matcher.group(1);
      position = matcher.end();
    }
    if (ai == null) {
      throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
    }
    put(fields, ai, body.substring(position));
    for (Map.Entry<String, String> field : fields.entrySet()) {
      Integer fixed = FIXED_AIS.get(field.getKey());
      if (fixed != null && field.getValue().length() != fixed) {
        throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
      }
    }
    return fields;
  }

  private static Map<String, String> raw(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    int i = 0;
    while (i < body.length()) {
      if (body.charAt(i) == GS) { // FNC1 in first position, or a separator after a fixed field
        i++;
        continue;
      }
      if (i + 2 > body.length()) {
        throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
      }
      String ai = body.substring(i, i + 2);
      i += 2;
      Integer fixed = FIXED_AIS.get(ai);
      if (fixed != null) {
        if (i + fixed > body.length()) {
          throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
        }
        put(fields, ai, body.substring(i, i + fixed));
        i += fixed;
      } else if (VARIABLE_AIS.containsKey(ai)) {
        int end = body.indexOf(GS, i);
        end = end < 0 ? body.length() : end;
        put(fields, ai, body.substring(i, end));
        i = end;
      } else {
        throw new InvalidIdentifierException(Gs1.isDigits(ai) ? Problem.GS1_UNSUPPORTED_AI : Problem.GS1_SYNTAX);
      }
    }
    return fields;
  }

  private static void put(Map<String, String> fields, String ai, String value) {
    if (!FIXED_AIS.containsKey(ai) && !VARIABLE_AIS.containsKey(ai)) {
      throw new InvalidIdentifierException(Problem.GS1_UNSUPPORTED_AI);
    }
    Integer max = VARIABLE_AIS.get(ai);
    if (value.isEmpty() || (max != null && value.length() > max) || !CSET82.matcher(value).matches()
        || fields.putIfAbsent(ai, value) != null) {
      throw new InvalidIdentifierException(Problem.GS1_SYNTAX);
    }
  }

  private static TraceabilityCode.Gs1Element gs1(Map<String, String> fields) {
    String gtin = fields.get("01");
    if (gtin == null) {
      throw new InvalidIdentifierException(Problem.GS1_MISSING_GTIN);
    }
    if (!Gs1.hasValidCheckDigit(gtin)) {
      throw new InvalidIdentifierException(Problem.GTIN_CHECK_DIGIT);
    }
    String serial = fields.get("21");
    if (serial == null) {
      throw new InvalidIdentifierException(Problem.GS1_MISSING_SERIAL);
    }
    return new TraceabilityCode.Gs1Element(gtin, serial, date(fields.get("17")), fields.get("10"), date(fields.get("11")));
  }

  /**
   * GS1 YYMMDD. Day 00 means the last day of the month. The century is taken as 20YY: the GS1
   * sliding window only differs for dates more than 49 years away, which no drug pack carries.
   */
  private static LocalDate date(String yymmdd) {
    if (yymmdd == null) {
      return null;
    }
    if (!Gs1.isDigits(yymmdd)) {
      throw new InvalidIdentifierException(Problem.GS1_DATE);
    }
    try {
      YearMonth month = YearMonth.of(2000 + Integer.parseInt(yymmdd.substring(0, 2)),
          Integer.parseInt(yymmdd.substring(2, 4)));
      int day = Integer.parseInt(yymmdd.substring(4, 6));
      return day == 0 ? month.atEndOfMonth() : month.atDay(day);
    } catch (DateTimeException e) {
      throw new InvalidIdentifierException(Problem.GS1_DATE);
    }
  }

  public enum Problem implements IdentifierProblem {
    FORMAT("药品追溯码格式错误：应为20位数字，或含(01)GTIN与(21)序列号的GS1码",
        "traceability code must be 20 digits or a GS1 element string with AIs 01 and 21"),
    GS1_SYNTAX("GS1追溯码结构错误：应用标识符、字段长度或字符不合规范",
        "GS1 element string is malformed (AI, field length or character set)"),
    GS1_UNSUPPORTED_AI("GS1追溯码含有不支持的应用标识符（仅支持01、11、17、10、21）",
        "GS1 element string contains an unsupported AI (supported: 01, 11, 17, 10, 21)"),
    GS1_MISSING_GTIN("GS1追溯码缺少(01)商品条码GTIN", "GS1 element string lacks AI 01 (GTIN)"),
    GS1_MISSING_SERIAL("GS1追溯码缺少(21)序列号，无法唯一标识单个包装",
        "GS1 element string lacks AI 21 (serial number), so it does not identify one pack"),
    GTIN_CHECK_DIGIT("GS1追溯码中的GTIN校验位错误", "GTIN check digit is wrong (GS1 mod 10)"),
    GS1_DATE("GS1追溯码中的日期（有效期或生产日期）无效", "GS1 date (AI 17 or 11) is not a valid YYMMDD date");

    public final String chinese;
    public final String english;

    Problem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("traceability-code", this);
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
