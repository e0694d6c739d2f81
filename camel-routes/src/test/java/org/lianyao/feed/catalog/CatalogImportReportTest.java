package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;
import static org.lianyao.feed.catalog.CatalogTestSupport.validate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogImportReportTest {

  private static CatalogImportReport report;

  @BeforeAll
  static void validateBadFile() throws IOException {
    report = CatalogImportReport.of(validate(fixture("bad-rows.csv")));
  }

  @Test
  void csvReportListsEveryProblemWithRowColumnValueAndBothMessages() throws IOException {
    byte[] bytes = report.toBytes(CatalogImportReport.Format.CSV);

    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    List<CSVRecord> records = CSVParser.parse(text, CSVFormat.RFC4180).getRecords();
    assertThat(records.get(0).toList()).containsExactly("行号", "列", "值", "问题说明", "English diagnostic");
    assertThat(records).hasSize(report.problems().size() + 1);
    assertThat(records.get(1).toList()).startsWith("3", "生产企业", "");
    assertThat(records.get(2).toList()).startsWith("4", "剂型", "片子");
    assertThat(records.get(2).get(3)).contains("国家药物剂型代码表");
    assertThat(records.get(2).get(4)).contains("unknown dosage form");
  }

  @Test
  void xlsxReportHasTheSameRows() throws IOException {
    byte[] bytes = report.toBytes(CatalogImportReport.Format.XLSX);

    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
      Sheet sheet = workbook.getSheet("问题清单");
      DataFormatter formatter = new DataFormatter();
      assertThat(formatter.formatCellValue(sheet.getRow(0).getCell(0))).contains("16 个问题");
      assertThat(formatter.formatCellValue(sheet.getRow(1).getCell(3))).isEqualTo("问题说明");
      assertThat(sheet.getLastRowNum()).isEqualTo(1 + report.problems().size());
      assertThat(sheet.getRow(2).getCell(0).getNumericCellValue()).isEqualTo(3.0);
      assertThat(formatter.formatCellValue(sheet.getRow(2).getCell(1))).isEqualTo("生产企业");
    }
  }

  @Test
  void textReportAndOperationOutcomeNameRowsAndColumns() {
    String text = report.toText();
    assertThat(text).startsWith("用药目录文件“bad-rows.csv”有 16 个问题，未导入任何数据");
    assertThat(text).contains("第3行【生产企业】：缺少生产企业", "第4行【剂型】（片子）：", "[row 4, column 剂型: unknown dosage form");

    OperationOutcome outcome = report.toOperationOutcome();
    assertThat(outcome.getIssue()).hasSize(16).allSatisfy(issue -> {
      assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
      assertThat(issue.getDetails().getText()).startsWith("第");
      assertThat(issue.getDiagnostics()).startsWith("row ");
    });
    assertThat(outcome.getIssueFirstRep().getDetails().getText()).isEqualTo(
        "第3行【生产企业】：缺少生产企业：医联体用药目录须具体到生产厂家（国卫药政发〔2024〕38号）");
  }

  @Test
  void fileProblemsAndFormulaLikeValues() {
    CatalogImportReport fileLevel = new CatalogImportReport("x.csv", List.of(
        new CatalogProblem(CatalogProblem.FILE, "", "", "未找到表头行", "no header row"),
        new CatalogProblem(5, "通用名", "=HYPERLINK(\"http://evil\")", "无效", "invalid")));
    String csv = new String(fileLevel.toBytes(CatalogImportReport.Format.CSV), StandardCharsets.UTF_8);

    assertThat(csv).contains("文件,,,未找到表头行,no header row");
    assertThat(csv).contains("'=HYPERLINK");
    assertThat(fileLevel.toText()).contains("文件：未找到表头行");
    assertThat(CatalogImportReport.reportFileName("目录2025.xlsx", CatalogImportReport.Format.CSV))
        .isEqualTo("目录2025.xlsx.report.csv");
  }
}
