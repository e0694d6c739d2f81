package org.lianyao.feed.catalog;

import java.text.Normalizer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The columns of a consortium formulary file (医联体用药目录) and the header texts that name them.
 *
 * <p>This enum is the header table: the first name is the canonical header the template writes and
 * reports use; the others are synonyms seen in committee spreadsheets. Matching ignores whitespace,
 * full-width forms, a leading required-marker {@code *} and a trailing bracketed hint such as
 * {@code 医保类别（甲/乙/丙）}, see {@link #normalizeHeader(String)}.
 */
public enum CatalogColumn {

  SEQUENCE(Use.OPTIONAL, "序号", "行号", "No", "No."),
  GENERIC_NAME(Use.REQUIRED_VALUE, "通用名", "药品通用名", "通用名称", "药品通用名称", "药品名称", "药品名", "品名"),
  DOSAGE_FORM(Use.REQUIRED_VALUE, "剂型", "药品剂型", "剂型名称"),
  STRENGTH(Use.REQUIRED_VALUE, "规格", "药品规格", "制剂规格", "含量规格"),
  PACKAGE(Use.STANDARD, "包装", "包装规格", "最小包装", "包装数量"),
  MANUFACTURER(Use.REQUIRED_VALUE, "生产企业", "生产厂家", "生产企业名称", "厂家", "生产商", "生产单位", "厂商"),
  NHSA_DRUG_CODE(Use.STANDARD, "医保药品编码", "国家医保编码", "国家医保药品编码", "医保编码", "医保代码",
      "医保药品代码", "国家医保药品代码", "国家医保药品分类与代码", "医保药品分类与代码"),
  NMPA_STANDARD_CODE(Use.STANDARD, "本位码", "药品本位码", "国家药品本位码", "药品标准码"),
  APPROVAL_NUMBER(Use.STANDARD, "批准文号", "批文", "批文号", "国药准字", "批准文号/注册证号", "注册证号"),
  VBP(Use.STANDARD, "集采", "是否集采", "集采药品", "集采中选", "集采中选药品", "带量采购", "集中带量采购", "国采"),
  VBP_BATCH(Use.OPTIONAL, "集采批次", "中选批次", "带量采购批次", "集采批"),
  ESSENTIAL_MEDICINE(Use.STANDARD, "基药", "是否基药", "基本药物", "国家基本药物", "国基"),
  INSURANCE_CLASS(Use.STANDARD, "医保类别", "医保类型", "医保分类", "医保甲乙类", "甲乙类", "医保等级"),
  CHRONIC_DISEASE_GROUP(Use.STANDARD, "慢病病种", "慢性病病种", "病种", "慢病类别", "慢病分类", "适用病种"),
  LINKAGE_DRUG(Use.STANDARD, "衔接药品", "上下衔接", "上下衔接药品", "是否衔接", "衔接", "慢病衔接药品"),
  TWO_SPEC_EXEMPT(Use.OPTIONAL, "一品两规豁免", "不受一品两规限制", "一品两规例外"),
  DRUG_CONTROL_CLASS(Use.OPTIONAL, "药品管制类别", "管制类别", "特殊管理药品", "特殊药品类别", "管制药品类别"),
  CHANGE_TYPE(Use.OPTIONAL, "变更类型", "调整类型", "调整方式", "变动类型", "调整情况"),
  EFFECTIVE_DATE(Use.OPTIONAL, "生效日期", "执行日期", "生效时间", "调整日期"),
  CHANGE_REASON(Use.OPTIONAL, "变更原因", "调整原因", "调整理由", "变更说明");

  /** How strictly a column is required. */
  public enum Use {
    /** The header must exist and every row needs a value. */
    REQUIRED_VALUE,
    /** The header must exist (the committee format has it); values may be empty. */
    STANDARD,
    /** The header may be absent. */
    OPTIONAL
  }

  private static final Map<String, CatalogColumn> BY_NORMALIZED_HEADER = new HashMap<>();

  static {
    for (CatalogColumn column : values()) {
      for (String name : column.names) {
        CatalogColumn previous = BY_NORMALIZED_HEADER.put(normalizeHeader(name), column);
        if (previous != null && previous != column) {
          throw new IllegalStateException("header " + name + " names both " + previous + " and " + column);
        }
      }
    }
  }

  private final Use use;
  private final List<String> names;

  CatalogColumn(Use use, String... names) {
    this.use = use;
    this.names = List.of(names);
  }

  /** The canonical Chinese header, as written by the template and shown in problem reports. */
  public String header() {
    return names.get(0);
  }

  /** The canonical header and its synonyms. */
  public List<String> names() {
    return names;
  }

  public Use use() {
    return use;
  }

  /** Columns whose header a file must have: the {@code REQUIRED_VALUE} and {@code STANDARD} ones. */
  public static Set<CatalogColumn> mandatoryHeaders() {
    Set<CatalogColumn> set = EnumSet.noneOf(CatalogColumn.class);
    for (CatalogColumn column : values()) {
      if (column.use != Use.OPTIONAL) {
        set.add(column);
      }
    }
    return Collections.unmodifiableSet(set);
  }

  /**
   * The column a header cell names, if any. Tries the whole text first, then without a trailing
   * bracketed hint, so that {@code 规格（含量）} still reads as 规格.
   */
  public static Optional<CatalogColumn> forHeader(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String normalized = normalizeHeader(header);
    CatalogColumn column = BY_NORMALIZED_HEADER.get(normalized);
    if (column == null) {
      String withoutHint = normalized.replaceFirst("[(\\[【〔].*[)\\]】〕]$", "");
      column = BY_NORMALIZED_HEADER.get(withoutHint);
    }
    return Optional.ofNullable(column);
  }

  /**
   * Header normal form: NFKC (full-width letters, digits and brackets become ASCII, ideographic
   * space becomes a space), all whitespace and required-marker asterisks removed, ASCII lower case.
   */
  public static String normalizeHeader(String header) {
    String text = Normalizer.normalize(header, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isWhitespace(ch) || Character.isSpaceChar(ch) || ch == '*' || ch == '\uFEFF') {
        continue;
      }
      out.append(ch);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
