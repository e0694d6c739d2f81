package org.lianyao.feed.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataValidation;
import org.apache.poi.ss.usermodel.DataValidationConstraint;
import org.apache.poi.ss.usermodel.DataValidationHelper;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddressList;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The blank formulary template offered by {@code InsurancePlan/$catalog-template}: the columns
 * {@link CatalogReader} expects, in {@link CatalogColumn} order, with one example row.
 *
 * <p>XLSX: sheet {@value CatalogReader#PREFERRED_SHEET} (header, example row, code columns formatted
 * as text so Excel keeps 本位码 digits, drop-down lists for yes/no and coded columns), sheet 说明
 * explaining every column and its allowed values, sheet 剂型代码 with the national dosage-form table.
 * CSV: UTF-8 with BOM, header and example row.
 */
public final class CatalogTemplate {

  public static final String XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  public static final String CSV_CONTENT_TYPE = "text/csv; charset=UTF-8";
  public static final String XLSX_FILE_NAME = "医联体用药目录导入模板.xlsx";
  public static final String CSV_FILE_NAME = "医联体用药目录导入模板.csv";
  public static final String HELP_SHEET = "说明";
  public static final String DOSAGE_FORM_SHEET = "剂型代码";

  /** Rows of the catalog sheet that get drop-down lists and text format. */
  private static final int FORMATTED_ROWS = 10_000;

  /**
   * The example row: a real national VBP batch-1 product (see the domain reference). Codes are left
   * empty rather than shown with made-up values.
   */
  static final Map<CatalogColumn, String> EXAMPLE = example();

  private final CatalogVocabulary vocabulary;

  public CatalogTemplate(CatalogVocabulary vocabulary) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
  }

  /** Template columns in order. */
  public static List<CatalogColumn> columns() {
    return List.of(CatalogColumn.values());
  }

  public void writeCsv(OutputStream out) throws IOException {
    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    writer.write('\uFEFF'); // Chinese Excel reads BOM-less CSV as GBK
    CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180);
    printer.printRecord(columns().stream().map(CatalogColumn::header).toList());
    printer.printRecord(columns().stream().map(c -> EXAMPLE.getOrDefault(c, "")).toList());
    printer.flush();
  }

  public void writeXlsx(OutputStream out) throws IOException {
    try (XSSFWorkbook workbook = new XSSFWorkbook()) {
      writeCatalogSheet(workbook);
      writeHelpSheet(workbook);
      writeDosageFormSheet(workbook);
      workbook.write(out);
    }
  }

  private void writeCatalogSheet(XSSFWorkbook workbook) {
    Sheet sheet = workbook.createSheet(CatalogReader.PREFERRED_SHEET);
    CellStyle required = headerStyle(workbook, IndexedColors.ROSE);
    CellStyle standard = headerStyle(workbook, IndexedColors.LIGHT_YELLOW);
    CellStyle optional = headerStyle(workbook, IndexedColors.GREY_25_PERCENT);
    CellStyle text = workbook.createCellStyle();
    text.setDataFormat(workbook.createDataFormat().getFormat("@"));
    Row header = sheet.createRow(0);
    Row example = sheet.createRow(1);
    List<CatalogColumn> columns = columns();
    for (int i = 0; i < columns.size(); i++) {
      CatalogColumn column = columns.get(i);
      Cell cell = header.createCell(i);
      cell.setCellValue(column.header());
      cell.setCellStyle(switch (column.use()) {
        case REQUIRED_VALUE -> required;
        case STANDARD -> standard;
        case OPTIONAL -> optional;
      });
      // Text format for every column: codes stay digit strings, 规格 such as 0.5 stays as typed.
      sheet.setDefaultColumnStyle(i, text);
      Cell value = example.createCell(i);
      value.setCellStyle(text);
      value.setCellValue(EXAMPLE.getOrDefault(column, ""));
      sheet.setColumnWidth(i, width(column) * 256);
    }
    sheet.createFreezePane(2, 1);
    DataValidationHelper helper = sheet.getDataValidationHelper();
    String[] yesNo = {"是", "否"};
    for (CatalogColumn column : List.of(CatalogColumn.VBP, CatalogColumn.ESSENTIAL_MEDICINE,
        CatalogColumn.LINKAGE_DRUG, CatalogColumn.TWO_SPEC_EXEMPT)) {
      dropDown(sheet, helper, column, yesNo);
    }
    dropDown(sheet, helper, CatalogColumn.INSURANCE_CLASS, new String[] {"甲类", "乙类", "丙类"});
    dropDown(sheet, helper, CatalogColumn.CHANGE_TYPE, new String[] {"引进", "调出", "变更"});
  }

  private static void dropDown(Sheet sheet, DataValidationHelper helper, CatalogColumn column, String[] values) {
    int index = columns().indexOf(column);
    DataValidationConstraint constraint = helper.createExplicitListConstraint(values);
    DataValidation validation = helper.createValidation(constraint,
        new CellRangeAddressList(1, FORMATTED_ROWS, index, index));
    // Warn but allow other spellings (Y/N, √): the importer accepts them and reports the rest.
    validation.setErrorStyle(DataValidation.ErrorStyle.WARNING);
    validation.setShowErrorBox(true);
    validation.createErrorBox("请从下拉列表选择", column.header() + "可填写：" + String.join("、", values));
    sheet.addValidationData(validation);
  }

  private void writeHelpSheet(XSSFWorkbook workbook) {
    Sheet sheet = workbook.createSheet(HELP_SHEET);
    CellStyle bold = headerStyle(workbook, IndexedColors.GREY_25_PERCENT);
    CellStyle wrap = workbook.createCellStyle();
    wrap.setWrapText(true);
    int r = 0;
    for (String line : List.of(
        "医联体用药目录导入模板说明",
        "1. 请在“目录”工作表中每行填写一个品规（通用名、剂型、规格、生产企业均须具体到厂家）；第2行为示例，导入前请替换或删除。",
        "2. 导入为“全部成功或全部不导入”：任一行有问题时整份文件不导入，系统会按行号、列名列出全部问题。",
        "3. 列名可使用下表“可识别的列名”中的任一写法；红色列每行必填，黄色列必须保留（可留空），灰色列可选。",
        "4. 医保药品编码、本位码等代码列请保持“文本”格式，避免 Excel 把长数字变成科学计数法。",
        "5. 是/否列可填写：是、否（或 Y/N、√/×）；留空表示未说明。多个病种或管制类别用顿号、逗号或分号分隔。")) {
      Cell cell = sheet.createRow(r++).createCell(0);
      cell.setCellValue(line);
    }
    r++;
    Row header = sheet.createRow(r++);
    String[] titles = {"列名", "填写要求", "说明", "可填写的值", "可识别的列名"};
    for (int i = 0; i < titles.length; i++) {
      Cell cell = header.createCell(i);
      cell.setCellValue(titles[i]);
      cell.setCellStyle(bold);
    }
    for (CatalogColumn column : columns()) {
      Row row = sheet.createRow(r++);
      String[] values = {column.header(), requirement(column), description(column), allowed(column),
          String.join("、", column.names())};
      for (int i = 0; i < values.length; i++) {
        Cell cell = row.createCell(i);
        cell.setCellValue(values[i]);
        cell.setCellStyle(wrap);
      }
    }
    int[] widths = {14, 14, 50, 50, 40};
    for (int i = 0; i < widths.length; i++) {
      sheet.setColumnWidth(i, widths[i] * 256);
    }
  }

  private void writeDosageFormSheet(XSSFWorkbook workbook) {
    Sheet sheet = workbook.createSheet(DOSAGE_FORM_SHEET);
    CellStyle bold = headerStyle(workbook, IndexedColors.GREY_25_PERCENT);
    Row header = sheet.createRow(0);
    String[] titles = {"代码", "剂型名称（WS 364 CV08.50.002，2011版）"};
    for (int i = 0; i < titles.length; i++) {
      Cell cell = header.createCell(i);
      cell.setCellValue(titles[i]);
      cell.setCellStyle(bold);
    }
    int r = 1;
    for (CatalogCode form : vocabulary.dosageFormTable()) {
      Row row = sheet.createRow(r++);
      row.createCell(0).setCellValue(form.code());
      row.createCell(1).setCellValue(form.display());
    }
    sheet.setColumnWidth(0, 8 * 256);
    sheet.setColumnWidth(1, 40 * 256);
  }

  private static String requirement(CatalogColumn column) {
    return switch (column.use()) {
      case REQUIRED_VALUE -> "必填";
      case STANDARD -> "必备列，可留空";
      case OPTIONAL -> "可选列";
    };
  }

  private static String description(CatalogColumn column) {
    return switch (column) {
      case SEQUENCE -> "行序号，仅供查看，不导入";
      case GENERIC_NAME -> "药品通用名，如“阿托伐他汀钙片”";
      case DOSAGE_FORM -> "剂型，按国家药物剂型代码表填写（见“剂型代码”工作表），如片剂、胶囊剂、缓释片、注射液";
      case STRENGTH -> "规格（含量），如 20mg、0.5g、10ml:0.5g";
      case PACKAGE -> "包装，如 20mg×7片/盒";
      case MANUFACTURER -> "生产企业全称，如“北京嘉林药业股份有限公司”；医联体目录须具体到生产厂家";
      case NHSA_DRUG_CODE -> "国家医保药品分类与代码（23位，如 XA10BAE021A010010201650）；有则填写，作为品规唯一标识";
      case NMPA_STANDARD_CODE -> "药品本位码（14位数字，86开头，末位为校验位）";
      case APPROVAL_NUMBER -> "批准文号，如 国药准字H20051408";
      case VBP -> "是否国家或省级集中带量采购中选药品；也可直接填写批次（如“第一批”）";
      case VBP_BATCH -> "集采批次，如 第一批、第五批";
      case ESSENTIAL_MEDICINE -> "是否国家基本药物";
      case INSURANCE_CLASS -> "医保支付类别";
      case CHRONIC_DISEASE_GROUP -> "适用慢性病病种，可填多个";
      case LINKAGE_DRUG -> "是否医联体上下级医疗机构慢病用药衔接药品";
      case TWO_SPEC_EXEMPT -> "是否不受“一品两规”限制；留空时高血压、糖尿病、慢阻肺用药按国卫药政发〔2024〕38号默认豁免";
      case DRUG_CONTROL_CLASS -> "特殊管理类别，可填多个";
      case CHANGE_TYPE -> "本年度目录调整类型；未调整留空";
      case EFFECTIVE_DATE -> "调整生效日期，如 2025-04-01；填写变更类型时必填";
      case CHANGE_REASON -> "调整原因，如“集采中选品种替换”";
    };
  }

  private String allowed(CatalogColumn column) {
    return switch (column) {
      case VBP, ESSENTIAL_MEDICINE, LINKAGE_DRUG, TWO_SPEC_EXEMPT -> "是、否（Y/N、√/× 亦可）；留空表示未说明";
      case INSURANCE_CLASS -> "甲类、乙类、丙类（可简写为甲、乙、丙）；非医保留空";
      case CHRONIC_DISEASE_GROUP -> CatalogVocabulary.displays(vocabulary.chronicDiseaseGroupTable());
      case DRUG_CONTROL_CLASS -> CatalogVocabulary.displays(vocabulary.drugControlClassTable());
      case CHANGE_TYPE -> "引进、调出、变更";
      case EFFECTIVE_DATE -> "2025-04-01、2025/4/1、2025年4月1日";
      case DOSAGE_FORM -> "见“剂型代码”工作表；也可识别 片、胶囊、薄膜衣片、缓释片 等常见写法";
      default -> "";
    };
  }

  private static int width(CatalogColumn column) {
    return switch (column) {
      case SEQUENCE -> 6;
      case GENERIC_NAME, MANUFACTURER -> 28;
      case NHSA_DRUG_CODE -> 26;
      case NMPA_STANDARD_CODE, APPROVAL_NUMBER, PACKAGE, CHANGE_REASON -> 20;
      default -> 12;
    };
  }

  private static CellStyle headerStyle(XSSFWorkbook workbook, IndexedColors color) {
    CellStyle style = workbook.createCellStyle();
    Font font = workbook.createFont();
    font.setBold(true);
    style.setFont(font);
    style.setFillForegroundColor(color.getIndex());
    style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
    style.setBorderBottom(BorderStyle.THIN);
    style.setWrapText(true);
    return style;
  }

  private static Map<CatalogColumn, String> example() {
    Map<CatalogColumn, String> row = new EnumMap<>(CatalogColumn.class);
    row.put(CatalogColumn.SEQUENCE, "1");
    row.put(CatalogColumn.GENERIC_NAME, "阿托伐他汀钙片");
    row.put(CatalogColumn.DOSAGE_FORM, "片剂");
    row.put(CatalogColumn.STRENGTH, "20mg");
    row.put(CatalogColumn.PACKAGE, "20mg×7片/盒");
    row.put(CatalogColumn.MANUFACTURER, "北京嘉林药业股份有限公司");
    row.put(CatalogColumn.VBP, "是");
    row.put(CatalogColumn.VBP_BATCH, "第一批");
    row.put(CatalogColumn.ESSENTIAL_MEDICINE, "是");
    row.put(CatalogColumn.CHRONIC_DISEASE_GROUP, "冠心病、脑卒中、血脂异常");
    row.put(CatalogColumn.LINKAGE_DRUG, "是");
    return java.util.Collections.unmodifiableMap(row);
  }

  /** For tests: the example row as cell texts in column order. */
  static List<String> exampleCells() {
    List<String> cells = new ArrayList<>();
    for (CatalogColumn column : columns()) {
      cells.add(EXAMPLE.getOrDefault(column, ""));
    }
    return cells;
  }
}
