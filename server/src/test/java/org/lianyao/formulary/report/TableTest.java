package org.lianyao.formulary.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class TableTest {

  private final Table table = new Table("衔接药品配备率", List.of("机构名称", "配备率(%)", "备注"),
      List.of(List.of("示例区人民医院", new BigDecimal("96.67"), "=HYPERLINK(\"x\")"),
          java.util.Arrays.asList("金星村卫生室", new BigDecimal("8.33"), null)));

  @Test
  void csvHasBomChineseHeadersAndDefusedFormulas() {
    String csv = new String(table.toCsv(), StandardCharsets.UTF_8);
    assertThat(csv).startsWith("\uFEFF机构名称,配备率(%),备注\r\n");
    assertThat(csv).contains("示例区人民医院,96.67,\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(csv).contains("金星村卫生室,8.33,\r\n");
  }

  @Test
  void xlsxHasTheSheetHeadersAndNumericCells() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(table.toXlsx()))) {
      Sheet sheet = wb.getSheet("衔接药品配备率");
      assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("机构名称");
      assertThat(sheet.getRow(1).getCell(1).getNumericCellValue()).isEqualTo(96.67);
      assertThat(sheet.getRow(2).getCell(2)).isNull();
    }
  }

  @Test
  void sheetNamesAreShortenedAndCleaned() {
    assertThat(Table.sheetName("a/b:c")).isEqualTo("a_b_c");
    assertThat(Table.sheetName("x".repeat(40))).hasSize(31);
  }
}
