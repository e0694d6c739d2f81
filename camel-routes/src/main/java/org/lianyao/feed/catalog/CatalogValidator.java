package org.lianyao.feed.catalog;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lianyao.terminology.TerminologyResources;
import org.lianyao.terminology.id.NhsaDrugCodeValidator;
import org.lianyao.terminology.id.NmpaStandardCodeValidator;

/**
 * Checks a formulary file and interprets its rows. Reports every problem of every row (the
 * committee fixes the file in one pass); an import is all-or-nothing, so callers convert and write
 * only when {@link CatalogValidation#isValid()}.
 *
 * <p>Checks: the reader's file problems; required values (通用名, 剂型, 规格, 生产企业 — the consortium
 * catalog is specific to the manufacturer); 剂型 against the national table CV08.50.002 with the
 * spelling variants of {@link CatalogVocabulary}; 医保药品编码 structure and 本位码 check digit (validators
 * of the terminology module); yes/no cells (是/否/Y/N/√/×, empty = not stated); 医保类别 (甲/乙/丙);
 * 慢病病种 and 药品管制类别 lists; 变更类型/生效日期/变更原因 consistency; dates; and duplicates.
 *
 * <p><b>Duplicates.</b> A row duplicates an earlier one when (a) both describe the same product-spec —
 * same 通用名, 剂型 (national code), 规格, 包装 and 生产企业 in the normal form of {@link ProductKey} — or
 * (b) both carry the same 医保药品编码, which already encodes form, spec, package and manufacturer, so
 * two rows with one code are one product even if their texts differ. The problem is reported on the
 * later row and names the earlier row. 医保药品编码 + 生产企业 is not used as a separate rule: the code
 * alone already decides, and a differing manufacturer text under one code is itself an error.
 *
 * <p>Thread-safe; build once (the vocabulary reads the terminology module).
 */
public final class CatalogValidator {

  private static final Pattern DATE = Pattern.compile(
      "^(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)?$");
  private static final Pattern COMPACT_DATE = Pattern.compile("^(\\d{4})(\\d{2})(\\d{2})$");
  /** Excel turned a long number into scientific notation before the CSV was saved: digits are lost. */
  private static final Pattern SCIENTIFIC = Pattern.compile("^\\d(\\.\\d+)?E\\+?\\d+$", Pattern.CASE_INSENSITIVE);
  /** A 集采 cell that names the batch (第五批, 国采第七批, 第二批集采) instead of 是. */
  private static final Pattern VBP_BATCH_TEXT = Pattern.compile(".*第.{1,4}批.*|.*批次.*");

  private static final int MIN_YEAR = 2000;
  private static final int MAX_YEAR = 2099;

  private final CatalogVocabulary vocabulary;

  public CatalogValidator(CatalogVocabulary vocabulary) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
  }

  public CatalogValidator(TerminologyResources terminology) {
    this(new CatalogVocabulary(terminology));
  }

  public CatalogVocabulary vocabulary() {
    return vocabulary;
  }

  /** Validates every row; never throws for bad content. */
  public CatalogValidation validate(CatalogFile file) {
    Objects.requireNonNull(file, "file");
    List<CatalogProblem> problems = new ArrayList<>(file.problems());
    Set<String> readerFlagged = new HashSet<>();
    for (CatalogProblem problem : file.problems()) {
      readerFlagged.add(problem.row() + "\u0000" + problem.column());
    }
    boolean fileUnusable = file.columns().isEmpty();
    if (!fileUnusable && file.rows().isEmpty() && file.problems().isEmpty()) {
      problems.add(new CatalogProblem(CatalogProblem.FILE, "", "",
          "文件中没有药品数据行（表头在第" + file.headerRow() + "行）",
          "the file has a header (row " + file.headerRow() + ") but no data rows"));
    }
    List<CatalogItem> items = new ArrayList<>();
    Map<String, Integer> rowByDerivedKey = new HashMap<>();
    Map<String, Integer> rowByNhsaCode = new HashMap<>();
    for (CatalogRow row : file.rows()) {
      RowCheck check = new RowCheck(row, readerFlagged);
      CatalogItem item = check.run();
      problems.addAll(check.problems);
      boolean duplicate = check.derivedKey != null
          && checkDuplicates(row, check, rowByDerivedKey, rowByNhsaCode, problems);
      if (item != null && check.problems.isEmpty() && !duplicate) {
        items.add(item);
      }
    }
    problems.sort(CatalogProblem.ORDER);
    return new CatalogValidation(file, problems, items);
  }

  /** Reports the row if it repeats an earlier product; true if it does. */
  private static boolean checkDuplicates(CatalogRow row, RowCheck check, Map<String, Integer> rowByDerivedKey,
      Map<String, Integer> rowByNhsaCode, List<CatalogProblem> problems) {
    boolean duplicate = false;
    Integer sameProduct = rowByDerivedKey.putIfAbsent(check.derivedKey, row.rowNumber());
    if (sameProduct != null) {
      String tuple = String.join(" / ", row.get(CatalogColumn.GENERIC_NAME), row.get(CatalogColumn.DOSAGE_FORM),
          row.get(CatalogColumn.STRENGTH), row.get(CatalogColumn.PACKAGE), row.get(CatalogColumn.MANUFACTURER));
      problems.add(CatalogProblem.of(row.rowNumber(), CatalogColumn.GENERIC_NAME, tuple,
          "与第" + sameProduct + "行重复：通用名、剂型、规格、包装、生产企业均相同，同一品规只能列一次",
          "duplicate of row " + sameProduct + ": same generic name, dosage form, strength, package and manufacturer"));
      duplicate = true;
    }
    if (check.nhsaCode != null && !check.nhsaCode.isEmpty()) {
      Integer sameCode = rowByNhsaCode.putIfAbsent(check.nhsaCode, row.rowNumber());
      if (sameCode != null && !sameCode.equals(sameProduct)) {
        problems.add(CatalogProblem.of(row.rowNumber(), CatalogColumn.NHSA_DRUG_CODE, check.nhsaCode,
            "医保药品编码与第" + sameCode + "行重复：一个医保药品编码只对应一个品规（含规格、包装和生产企业）",
            "duplicate NHSA drug code, also on row " + sameCode + " (one code identifies one product-spec)"));
        duplicate = true;
      }
    }
    return duplicate;
  }

  /** Checks and interprets one row; collects its problems. */
  private final class RowCheck {

    final CatalogRow row;
    final Set<String> readerFlagged;
    final List<CatalogProblem> problems = new ArrayList<>();
    String derivedKey;
    String nhsaCode;

    RowCheck(CatalogRow row, Set<String> readerFlagged) {
      this.row = row;
      this.readerFlagged = readerFlagged;
    }

    CatalogItem run() {
      String genericName = required(CatalogColumn.GENERIC_NAME, "缺少通用名", "generic name is missing");
      String formText = required(CatalogColumn.DOSAGE_FORM, "缺少剂型", "dosage form is missing");
      CatalogCode form = formText == null ? null : dosageForm(formText);
      String strength = required(CatalogColumn.STRENGTH, "缺少规格", "strength is missing");
      String manufacturer = required(CatalogColumn.MANUFACTURER,
          "缺少生产企业：医联体用药目录须具体到生产厂家（国卫药政发〔2024〕38号）",
          "manufacturer is missing: consortium formulary items are manufacturer-specific");
      String packageText = row.get(CatalogColumn.PACKAGE);

      nhsaCode = nhsaDrugCode();
      String nmpaCode = nmpaStandardCode();
      String approvalNumber = compact(row.get(CatalogColumn.APPROVAL_NUMBER));

      Boolean essential = yesNo(CatalogColumn.ESSENTIAL_MEDICINE);
      Boolean linkage = yesNo(CatalogColumn.LINKAGE_DRUG);
      Boolean twoSpecExempt = yesNo(CatalogColumn.TWO_SPEC_EXEMPT);
      String vbpBatch = row.get(CatalogColumn.VBP_BATCH);
      Boolean vbp = vbp();
      if (Boolean.TRUE.equals(vbp) && vbpBatch.isEmpty()
          && VBP_BATCH_TEXT.matcher(row.get(CatalogColumn.VBP)).matches()) {
        vbpBatch = row.get(CatalogColumn.VBP);
      }
      if (vbp == null && isEmpty(CatalogColumn.VBP) && !vbpBatch.isEmpty()) {
        vbp = Boolean.TRUE; // a batch implies a VBP product
      }
      if (Boolean.FALSE.equals(vbp) && !vbpBatch.isEmpty()) {
        problem(CatalogColumn.VBP_BATCH, vbpBatch, "集采为“否”却填写了集采批次，请核对",
            "VBP batch given although VBP is no");
      }
      CatalogCode insuranceClass = insuranceClass();
      List<CatalogCode> groups = codeList(CatalogColumn.CHRONIC_DISEASE_GROUP, vocabulary::chronicDiseaseGroup,
          "慢病病种", "chronic-disease group", CatalogVocabulary.displays(vocabulary.chronicDiseaseGroupTable()));
      List<CatalogCode> controls = codeList(CatalogColumn.DRUG_CONTROL_CLASS, vocabulary::drugControlClass,
          "药品管制类别", "drug control class", CatalogVocabulary.displays(vocabulary.drugControlClassTable()));

      CatalogCode changeType = changeType();
      LocalDate effective = date(CatalogColumn.EFFECTIVE_DATE);
      String reason = row.get(CatalogColumn.CHANGE_REASON);
      if (changeType == null && isEmpty(CatalogColumn.CHANGE_TYPE)
          && (!isEmpty(CatalogColumn.EFFECTIVE_DATE) || !reason.isEmpty())) {
        problem(CatalogColumn.CHANGE_TYPE, "", "填写了生效日期或变更原因，但未填写变更类型（引进/调出/变更）",
            "effective date or change reason given without a change type");
      }
      if (changeType != null && isEmpty(CatalogColumn.EFFECTIVE_DATE)) {
        problem(CatalogColumn.EFFECTIVE_DATE, "", "填写了变更类型，须同时填写生效日期",
            "a change type needs an effective date");
      }

      if (genericName != null && form != null && strength != null && manufacturer != null) {
        derivedKey = ProductKey.derive(genericName, form.code(), strength, packageText, manufacturer);
      }
      if (!problems.isEmpty() || derivedKey == null) {
        return null;
      }
      return new CatalogItem(row.rowNumber(), genericName, form, formText, strength, packageText, manufacturer,
          nhsaCode, nmpaCode, approvalNumber, vbp, vbpBatch, essential, insuranceClass, groups, linkage,
          twoSpecExempt, controls, changeType, effective, reason, ProductKey.of(nhsaCode, derivedKey), derivedKey);
    }

    private String required(CatalogColumn column, String chinese, String english) {
      String value = row.get(column);
      if (value.isEmpty()) {
        if (!flagged(column)) {
          problem(column, "", chinese, english);
        }
        return null;
      }
      return flagged(column) ? null : value;
    }

    private CatalogCode dosageForm(String text) {
      Optional<CatalogCode> form = vocabulary.dosageForm(text);
      if (form.isEmpty()) {
        problem(CatalogColumn.DOSAGE_FORM, text,
            "剂型“" + text + "”不在国家药物剂型代码表（CV08.50.002）中，请填写标准剂型名称，如片剂、胶囊剂、注射液、颗粒剂",
            "unknown dosage form '" + text + "' (not in WS 364 CV08.50.002 nor its known variants)");
        return null;
      }
      return form.get();
    }

    private String nhsaDrugCode() {
      String raw = row.get(CatalogColumn.NHSA_DRUG_CODE);
      if (raw.isEmpty() || flagged(CatalogColumn.NHSA_DRUG_CODE)) {
        return "";
      }
      String code = compact(raw).toUpperCase(java.util.Locale.ROOT);
      NhsaDrugCodeValidator.validate(code).ifPresent(p -> problem(CatalogColumn.NHSA_DRUG_CODE, raw,
          p.chinese(), p.english() + ": '" + raw + "'"));
      return code;
    }

    private String nmpaStandardCode() {
      String raw = row.get(CatalogColumn.NMPA_STANDARD_CODE);
      if (raw.isEmpty() || flagged(CatalogColumn.NMPA_STANDARD_CODE)) {
        return "";
      }
      String code = compact(raw);
      if (SCIENTIFIC.matcher(code).matches()) {
        problem(CatalogColumn.NMPA_STANDARD_CODE, raw,
            "本位码被 Excel 存成了科学计数法（" + raw + "），后几位数字已丢失；请把该列设为“文本”格式后重新填写",
            "NMPA standard code was saved in scientific notation by Excel; digits are lost: '" + raw + "'");
        return code;
      }
      NmpaStandardCodeValidator.validate(code).ifPresent(p -> problem(CatalogColumn.NMPA_STANDARD_CODE, raw,
          p.chinese(), p.english() + ": '" + raw + "'"));
      return code;
    }

    private Boolean yesNo(CatalogColumn column) {
      String value = row.get(column);
      CatalogVocabulary.YesNo answer = CatalogVocabulary.yesNo(value);
      if (answer == CatalogVocabulary.YesNo.INVALID && !flagged(column)) {
        problem(column, value, column.header() + "应填写“是”或“否”（也可用 Y/N、√/×，不确定可留空），不能填写“" + value + "”",
            "not a yes/no value: '" + value + "' (expected 是/否, Y/N, √/× or empty)");
      }
      return answer.toBoolean();
    }

    private Boolean vbp() {
      String value = row.get(CatalogColumn.VBP);
      CatalogVocabulary.YesNo answer = CatalogVocabulary.yesNo(value);
      if (answer == CatalogVocabulary.YesNo.INVALID && VBP_BATCH_TEXT.matcher(value).matches()) {
        return Boolean.TRUE; // the committee wrote the batch (第五批) instead of 是
      }
      return yesNo(CatalogColumn.VBP);
    }

    private CatalogCode insuranceClass() {
      String value = row.get(CatalogColumn.INSURANCE_CLASS);
      if (value.isEmpty() || flagged(CatalogColumn.INSURANCE_CLASS)) {
        return null;
      }
      Optional<CatalogCode> code = vocabulary.insuranceClass(value);
      if (code.isEmpty()) {
        problem(CatalogColumn.INSURANCE_CLASS, value, "医保类别应为甲类、乙类或丙类（可写甲/乙/丙），不能填写“" + value + "”",
            "unknown insurance class '" + value + "' (expected 甲/乙/丙)");
        return null;
      }
      return code.get();
    }

    private List<CatalogCode> codeList(CatalogColumn column, java.util.function.Function<String, Optional<CatalogCode>> lookup,
        String chineseName, String englishName, String allowed) {
      String value = row.get(column);
      if (value.isEmpty() || flagged(column)) {
        return List.of();
      }
      Map<String, CatalogCode> found = new LinkedHashMap<>();
      List<String> unknown = new ArrayList<>();
      for (String part : CatalogVocabulary.splitList(value)) {
        Optional<CatalogCode> code = lookup.apply(part);
        if (code.isPresent()) {
          found.putIfAbsent(code.get().code(), code.get());
        } else {
          unknown.add(part);
        }
      }
      if (!unknown.isEmpty()) {
        problem(column, value, "无法识别的" + chineseName + "：" + String.join("、", unknown)
                + "（可填写：" + allowed + "；多个用顿号、逗号或分号分隔）",
            "unknown " + englishName + ": " + String.join(", ", unknown));
      }
      return List.copyOf(found.values());
    }

    private CatalogCode changeType() {
      String value = row.get(CatalogColumn.CHANGE_TYPE);
      if (value.isEmpty() || flagged(CatalogColumn.CHANGE_TYPE)) {
        return null;
      }
      Optional<CatalogCode> code = vocabulary.changeType(value);
      if (code.isEmpty()) {
        problem(CatalogColumn.CHANGE_TYPE, value, "变更类型应为引进、调出或变更，不能填写“" + value + "”",
            "unknown change type '" + value + "' (expected 引进/调出/变更)");
        return null;
      }
      return code.get();
    }

    private LocalDate date(CatalogColumn column) {
      String value = row.get(column);
      if (value.isEmpty() || flagged(column)) {
        return null;
      }
      Optional<LocalDate> date = parseDate(value);
      if (date.isEmpty()) {
        problem(column, value, "日期“" + value + "”无效，请写成 2025-01-01 或 2025/1/1 格式的真实日期",
            "invalid date '" + value + "' (expected yyyy-MM-dd, yyyy/M/d, yyyy年M月d日 or yyyyMMdd)");
        return null;
      }
      if (date.get().getYear() < MIN_YEAR || date.get().getYear() > MAX_YEAR) {
        problem(column, value, "日期“" + value + "”超出合理范围（" + MIN_YEAR + "—" + MAX_YEAR + "年）",
            "date '" + value + "' outside " + MIN_YEAR + "-" + MAX_YEAR);
        return null;
      }
      return date.get();
    }

    private boolean isEmpty(CatalogColumn column) {
      return row.get(column).isEmpty();
    }

    private boolean flagged(CatalogColumn column) {
      return readerFlagged.contains(row.rowNumber() + "\u0000" + column.header());
    }

    private void problem(CatalogColumn column, String value, String chinese, String english) {
      problems.add(CatalogProblem.of(row.rowNumber(), column, value, chinese, english));
    }
  }

  /** Parses the date spellings committees use; {@code empty} if not a real calendar date. */
  static Optional<LocalDate> parseDate(String text) {
    String value = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    Matcher m = DATE.matcher(value);
    if (!m.matches()) {
      m = COMPACT_DATE.matcher(value);
      if (!m.matches()) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3))));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** NFKC without any whitespace: codes pasted with spaces or in full-width digits. */
  static String compact(String text) {
    String nfkc = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    for (int i = 0; i < nfkc.length(); i++) {
      char ch = nfkc.charAt(i);
      if (!Character.isWhitespace(ch) && !Character.isSpaceChar(ch)) {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
