package org.lianyao.feed.catalog;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.CodeSystems.ChronicDiseaseGroup;
import org.lianyao.terminology.CodeSystems.DrugControlClass;
import org.lianyao.terminology.CodeSystems.FormularyChangeType;
import org.lianyao.terminology.CodeSystems.InsuranceClass;
import org.lianyao.terminology.TerminologyResources;

/**
 * How committee spreadsheets spell coded values, mapped onto the code systems of the terminology
 * module. The code systems (their codes and Chinese displays) come from {@link TerminologyResources};
 * this class adds only the spelling variants (synonym tables below), so a code that the terminology
 * module drops or renames surfaces as a start-up error, not as a silently wrong Coding.
 *
 * <p>Every text is compared in a normal form: NFKC (full-width → ASCII), whitespace removed, ASCII
 * upper case. Immutable and thread-safe once built.
 */
public final class CatalogVocabulary {

  // ---- synonym tables (data) -------------------------------------------------------------------

  /**
   * Dosage-form spellings → WS 364 CV08.50.002 (2011) code, beyond the table's own displays. The
   * national table names some forms by a combined display ({@code 糖衣/薄膜衣片}), and catalogs use
   * short forms ({@code 片}, {@code 胶囊}). {@code 片} is the short form of {@code 片剂} and maps to 01;
   * only an explicitly coated tablet maps to 02. Forms the 2011 table lacks (口腔崩解片) map to the
   * closest general code; Medication.form.text keeps the committee's original wording.
   */
  static final Map<String, String> DOSAGE_FORM_SYNONYMS = table(
      "片", "01", "普通片", "01", "素片", "01", "口腔崩解片", "01", "口崩片", "01",
      "薄膜衣片", "02", "糖衣片", "02", "包衣片", "02", "薄膜包衣片", "02", "薄膜衣", "02", "糖衣", "02",
      "肠溶衣片", "04", "肠溶薄膜衣片", "04",
      "缓释片", "05", "控释片", "05", "调释片", "05", "缓释薄膜衣片", "05", "渗透泵片", "05", "缓控释片", "05",
      "口含片", "08",
      "注射剂", "16", "小容量注射液", "16", "注射用溶液", "16",
      "粉针", "15", "注射用无菌粉末", "15", "注射用冻干粉", "15", "冻干粉针", "15", "冻干粉针剂", "15",
      "输液", "18", "大容量注射液", "18",
      "胶囊", "19", "硬胶囊", "19",
      "软胶囊", "20", "软胶囊剂", "20", "滴丸", "20", "滴丸剂", "20",
      "肠溶软胶囊", "21",
      "缓释胶囊", "22", "控释胶囊", "22", "缓控释胶囊剂", "22",
      "溶液", "23", "口服溶液", "23", "口服溶液剂", "23",
      "糖浆", "30",
      "滴眼液", "43", "滴鼻液", "44", "滴耳液", "45",
      "软膏", "48", "乳膏", "49", "乳膏剂", "49", "霜剂", "49",
      "散", "53", "颗粒", "54",
      "吸入气雾剂", "57", "鼻喷雾剂", "58",
      "粉雾剂", "60", "吸入粉雾剂", "60", "吸入剂", "60", "吸入粉剂", "60",
      "贴剂", "65", "透皮贴剂", "65", "贴片", "65",
      "栓", "63",
      "丸", "14", "水丸", "14", "蜜丸", "14", "浓缩丸", "14", "水蜜丸", "14");

  /** Yes/no spellings; an empty cell means "not stated". */
  static final Map<String, Boolean> YES_NO = booleans(
      new String[] {"是", "Y", "YES", "TRUE", "1", "√", "✓", "✔", "有"},
      new String[] {"否", "N", "NO", "FALSE", "0", "×", "✗", "✘", "无", "非"});

  /** Insurance-class spellings → insurance-class code (the CodeSystem displays 甲类/乙类/丙类 match too). */
  static final Map<String, String> INSURANCE_CLASS_SYNONYMS = table(
      "甲", InsuranceClass.A, "医保甲类", InsuranceClass.A, "A", InsuranceClass.A, "A类", InsuranceClass.A,
      "乙", InsuranceClass.B, "医保乙类", InsuranceClass.B, "B", InsuranceClass.B, "B类", InsuranceClass.B,
      "丙", InsuranceClass.C, "医保丙类", InsuranceClass.C, "C", InsuranceClass.C, "C类", InsuranceClass.C);

  /** Disease-name spellings → chronic-disease-group code (CodeSystem displays match too). */
  static final Map<String, String> CHRONIC_DISEASE_SYNONYMS = table(
      "高血压", ChronicDiseaseGroup.HYPERTENSION, "高血压病", ChronicDiseaseGroup.HYPERTENSION,
      "原发性高血压", ChronicDiseaseGroup.HYPERTENSION,
      "糖尿病", ChronicDiseaseGroup.DIABETES, "2型糖尿病", ChronicDiseaseGroup.DIABETES,
      "II型糖尿病", ChronicDiseaseGroup.DIABETES, "二型糖尿病", ChronicDiseaseGroup.DIABETES,
      "慢阻肺", ChronicDiseaseGroup.COPD, "慢阻肺病", ChronicDiseaseGroup.COPD,
      "慢性阻塞性肺疾病", ChronicDiseaseGroup.COPD, "慢性阻塞性肺病", ChronicDiseaseGroup.COPD,
      "COPD", ChronicDiseaseGroup.COPD,
      "冠心病", ChronicDiseaseGroup.CORONARY_HEART_DISEASE,
      "冠状动脉粥样硬化性心脏病", ChronicDiseaseGroup.CORONARY_HEART_DISEASE,
      "脑卒中", ChronicDiseaseGroup.STROKE, "卒中", ChronicDiseaseGroup.STROKE, "中风", ChronicDiseaseGroup.STROKE,
      "脑梗死", ChronicDiseaseGroup.STROKE, "脑梗塞", ChronicDiseaseGroup.STROKE,
      "慢性肾病", ChronicDiseaseGroup.CHRONIC_KIDNEY_DISEASE, "慢性肾脏病", ChronicDiseaseGroup.CHRONIC_KIDNEY_DISEASE,
      "CKD", ChronicDiseaseGroup.CHRONIC_KIDNEY_DISEASE,
      "骨质疏松", ChronicDiseaseGroup.OSTEOPOROSIS, "骨质疏松症", ChronicDiseaseGroup.OSTEOPOROSIS,
      "血脂异常", ChronicDiseaseGroup.HYPERLIPIDEMIA, "高脂血症", ChronicDiseaseGroup.HYPERLIPIDEMIA,
      "高血脂", ChronicDiseaseGroup.HYPERLIPIDEMIA, "高胆固醇血症", ChronicDiseaseGroup.HYPERLIPIDEMIA,
      "慢性乙型肝炎", ChronicDiseaseGroup.CHRONIC_HEPATITIS_B, "慢性乙肝", ChronicDiseaseGroup.CHRONIC_HEPATITIS_B,
      "乙肝", ChronicDiseaseGroup.CHRONIC_HEPATITIS_B,
      "抑郁症", ChronicDiseaseGroup.DEPRESSION, "抑郁", ChronicDiseaseGroup.DEPRESSION,
      "帕金森病", ChronicDiseaseGroup.PARKINSON, "帕金森", ChronicDiseaseGroup.PARKINSON);

  /** Control-class spellings → drug-control-class code (CodeSystem displays match too). */
  static final Map<String, String> DRUG_CONTROL_SYNONYMS = table(
      "麻醉", DrugControlClass.NARCOTIC, "麻醉药", DrugControlClass.NARCOTIC, "麻", DrugControlClass.NARCOTIC,
      "精一", DrugControlClass.PSYCHOTROPIC_1, "一精", DrugControlClass.PSYCHOTROPIC_1,
      "一类精神", DrugControlClass.PSYCHOTROPIC_1, "第一类精神", DrugControlClass.PSYCHOTROPIC_1,
      "一类精神药品", DrugControlClass.PSYCHOTROPIC_1,
      "精二", DrugControlClass.PSYCHOTROPIC_2, "二精", DrugControlClass.PSYCHOTROPIC_2,
      "二类精神", DrugControlClass.PSYCHOTROPIC_2, "第二类精神", DrugControlClass.PSYCHOTROPIC_2,
      "二类精神药品", DrugControlClass.PSYCHOTROPIC_2,
      "毒性药品", DrugControlClass.TOXIC, "毒", DrugControlClass.TOXIC, "医疗用毒性药", DrugControlClass.TOXIC,
      "放射性", DrugControlClass.RADIOACTIVE, "放射", DrugControlClass.RADIOACTIVE,
      "易制毒", DrugControlClass.PRECURSOR, "易制毒化学品", DrugControlClass.PRECURSOR,
      "抗菌药", DrugControlClass.ANTIMICROBIAL, "抗生素", DrugControlClass.ANTIMICROBIAL,
      "非限制使用级", DrugControlClass.ANTIMICROBIAL, "限制使用级", DrugControlClass.ANTIMICROBIAL,
      "特殊使用级", DrugControlClass.ANTIMICROBIAL, "非限制使用级抗菌药物", DrugControlClass.ANTIMICROBIAL,
      "限制使用级抗菌药物", DrugControlClass.ANTIMICROBIAL, "特殊使用级抗菌药物", DrugControlClass.ANTIMICROBIAL,
      "特殊储存", DrugControlClass.SPECIAL_STORAGE, "冷藏", DrugControlClass.SPECIAL_STORAGE,
      "需冷藏", DrugControlClass.SPECIAL_STORAGE);

  /** Change-type spellings → formulary-change-type code (CodeSystem displays match too). */
  static final Map<String, String> CHANGE_TYPE_SYNONYMS = table(
      "新增", FormularyChangeType.INTRODUCE, "调入", FormularyChangeType.INTRODUCE,
      "纳入", FormularyChangeType.INTRODUCE, "增补", FormularyChangeType.INTRODUCE,
      "删除", FormularyChangeType.REMOVE, "剔除", FormularyChangeType.REMOVE,
      "停用", FormularyChangeType.REMOVE, "移除", FormularyChangeType.REMOVE,
      "信息变更", FormularyChangeType.CHANGE, "修改", FormularyChangeType.CHANGE,
      "更换", FormularyChangeType.CHANGE, "替换", FormularyChangeType.CHANGE);

  /** Separators between several values in one cell: 高血压、糖尿病 / 高血压,糖尿病 / 高血压；糖尿病 … */
  static final Pattern LIST_SEPARATOR = Pattern.compile("[、,，;；/／|｜\\s]+");

  // ---- built lookups -------------------------------------------------------------------------

  private final Map<String, CatalogCode> dosageForms;
  private final List<CatalogCode> dosageFormTable;
  private final Map<String, CatalogCode> insuranceClasses;
  private final Map<String, CatalogCode> chronicDiseaseGroups;
  private final List<CatalogCode> chronicDiseaseGroupTable;
  private final Map<String, CatalogCode> drugControlClasses;
  private final List<CatalogCode> drugControlClassTable;
  private final Map<String, CatalogCode> changeTypes;
  private final CatalogCode formularyItemType;

  /**
   * @throws IllegalStateException if a synonym names a code the terminology module does not define
   */
  public CatalogVocabulary(TerminologyResources terminology) {
    Objects.requireNonNull(terminology, "terminology");
    dosageFormTable = codes(terminology, CodeSystems.DOSAGE_FORM, CodeSystems.DOSAGE_FORM_VERSION);
    dosageForms = lookup(dosageFormTable, DOSAGE_FORM_SYNONYMS, "dosage form");
    insuranceClasses = lookup(codes(terminology, CodeSystems.INSURANCE_CLASS, null),
        INSURANCE_CLASS_SYNONYMS, "insurance class");
    chronicDiseaseGroupTable = codes(terminology, CodeSystems.CHRONIC_DISEASE_GROUP, null);
    chronicDiseaseGroups = lookup(chronicDiseaseGroupTable, CHRONIC_DISEASE_SYNONYMS, "chronic-disease group");
    drugControlClassTable = codes(terminology, CodeSystems.DRUG_CONTROL_CLASS, null);
    drugControlClasses = lookup(drugControlClassTable, DRUG_CONTROL_SYNONYMS, "drug control class");
    changeTypes = lookup(codes(terminology, CodeSystems.FORMULARY_CHANGE_TYPE, null),
        CHANGE_TYPE_SYNONYMS, "formulary change type");
    formularyItemType = codes(terminology, CodeSystems.FORMULARY_ITEM_TYPE, null).stream()
        .filter(c -> c.code().equals(CodeSystems.FormularyItemType.FORMULARY_ITEM))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("formulary-item-type lacks formulary-item"));
  }

  /** Normal form used for every lookup: NFKC, no whitespace, ASCII upper case. */
  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    for (int i = 0; i < nfkc.length(); i++) {
      char ch = nfkc.charAt(i);
      if (!Character.isWhitespace(ch) && !Character.isSpaceChar(ch)) {
        out.append(ch);
      }
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  private static final Pattern BRACKETED = Pattern.compile("^(.+?)\\((.+)\\)$");

  /**
   * The national dosage form for a 剂型 cell. Tries the text as is, then {@code X剂} for a bare
   * {@code X}, then a bracketed qualifier: {@code 片剂（薄膜衣）} reads as 薄膜衣片, else as 片剂.
   */
  public Optional<CatalogCode> dosageForm(String text) {
    String key = normalize(text);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    CatalogCode found = formLookup(key);
    if (found == null) {
      Matcher bracketed = BRACKETED.matcher(key);
      if (bracketed.matches()) {
        String outer = bracketed.group(1);
        String inner = bracketed.group(2);
        String stem = outer.endsWith("剂") ? outer.substring(0, outer.length() - 1) : outer;
        found = formLookup(inner + stem);
        if (found == null) {
          found = formLookup(outer);
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private CatalogCode formLookup(String key) {
    CatalogCode found = dosageForms.get(key);
    if (found == null && !key.endsWith("剂")) {
      found = dosageForms.get(key + "剂");
    }
    return found;
  }

  /** A yes/no cell: {@link YesNo#BLANK} when empty, {@link YesNo#INVALID} when not a yes/no spelling. */
  public static YesNo yesNo(String text) {
    String key = normalize(text);
    if (key.isEmpty()) {
      return YesNo.BLANK;
    }
    Boolean value = YES_NO.get(key);
    return value == null ? YesNo.INVALID : value ? YesNo.YES : YesNo.NO;
  }

  /** Reading of a yes/no cell. */
  public enum YesNo {
    YES, NO, BLANK, INVALID;

    /** TRUE/FALSE, or {@code null} for a blank (not stated) or invalid cell. */
    public Boolean toBoolean() {
      return this == YES ? Boolean.TRUE : this == NO ? Boolean.FALSE : null;
    }
  }

  public Optional<CatalogCode> insuranceClass(String text) {
    return Optional.ofNullable(insuranceClasses.get(normalize(text)));
  }

  public Optional<CatalogCode> chronicDiseaseGroup(String text) {
    return Optional.ofNullable(chronicDiseaseGroups.get(normalize(text)));
  }

  public Optional<CatalogCode> drugControlClass(String text) {
    return Optional.ofNullable(drugControlClasses.get(normalize(text)));
  }

  public Optional<CatalogCode> changeType(String text) {
    return Optional.ofNullable(changeTypes.get(normalize(text)));
  }

  /** Basic.code of every formulary item. */
  public CatalogCode formularyItemType() {
    return formularyItemType;
  }

  /** The national dosage-form table, in code order (for the template's 说明 sheet). */
  public List<CatalogCode> dosageFormTable() {
    return dosageFormTable;
  }

  /** The chronic-disease groups, in code system order (for the template's 说明 sheet). */
  public List<CatalogCode> chronicDiseaseGroupTable() {
    return chronicDiseaseGroupTable;
  }

  /** The drug control classes, in code system order. */
  public List<CatalogCode> drugControlClassTable() {
    return drugControlClassTable;
  }

  /** Displays of a code table joined with 、 (for messages and the template). */
  public static String displays(List<CatalogCode> table) {
    return table.stream().map(CatalogCode::display).collect(java.util.stream.Collectors.joining("、"));
  }

  /** Splits a multi-value cell on 、 , ， ; ； / and whitespace. */
  public static List<String> splitList(String text) {
    List<String> parts = new ArrayList<>();
    for (String part : LIST_SEPARATOR.split(text == null ? "" : text.strip())) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static List<CatalogCode> codes(TerminologyResources terminology, String system, String version) {
    List<ConceptDefinitionComponent> concepts = terminology.concepts(system);
    if (concepts.isEmpty()) {
      throw new IllegalStateException("terminology module has no code system " + system);
    }
    return concepts.stream()
        .map(c -> new CatalogCode(system, version, c.getCode(), c.getDisplay()))
        .toList();
  }

  private static Map<String, CatalogCode> lookup(List<CatalogCode> table, Map<String, String> synonyms,
      String what) {
    Map<String, CatalogCode> byCode = new LinkedHashMap<>();
    Map<String, CatalogCode> lookup = new LinkedHashMap<>();
    for (CatalogCode code : table) {
      byCode.put(code.code(), code);
      if (code.display() != null) {
        lookup.put(normalize(code.display()), code);
      }
    }
    synonyms.forEach((text, code) -> {
      CatalogCode target = byCode.get(code);
      if (target == null) {
        throw new IllegalStateException(what + " synonym " + text + " names unknown code " + code);
      }
      lookup.putIfAbsent(normalize(text), target);
    });
    return Map.copyOf(lookup);
  }

  private static Map<String, String> table(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (map.put(pairs[i], pairs[i + 1]) != null) {
        throw new IllegalStateException("duplicate synonym " + pairs[i]);
      }
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  private static Map<String, Boolean> booleans(String[] yes, String[] no) {
    Map<String, Boolean> map = new LinkedHashMap<>();
    for (String s : yes) {
      map.put(normalize(s), Boolean.TRUE);
    }
    for (String s : no) {
      map.put(normalize(s), Boolean.FALSE);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
