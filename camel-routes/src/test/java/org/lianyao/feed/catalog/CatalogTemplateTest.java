package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.feed.catalog.CatalogTestSupport.READER;
import static org.lianyao.feed.catalog.CatalogTestSupport.VALIDATOR;
import static org.lianyao.feed.catalog.CatalogTestSupport.VOCABULARY;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class CatalogTemplateTest {

  private final CatalogTemplate template = new CatalogTemplate(VOCABULARY);

  @Test
  void xlsxTemplateRoundTripsThroughTheReaderAndValidator() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    template.writeXlsx(out);

    CatalogFile file = READER.read(new ByteArrayInputStream(out.toByteArray()), CatalogTemplate.XLSX_FILE_NAME);

    assertThat(file.format()).isEqualTo(CatalogFile.Format.XLSX);
    assertThat(file.sheetName()).isEqualTo("目录");
    assertThat(file.problems()).isEmpty();
    assertThat(file.columns()).containsExactlyElementsOf(CatalogTemplate.columns());
    assertThat(file.ignoredHeaders()).isEmpty();
    assertThat(file.rows()).singleElement().satisfies(row -> {
      assertThat(row.rowNumber()).isEqualTo(2);
      assertThat(row.get(CatalogColumn.GENERIC_NAME)).isEqualTo("阿托伐他汀钙片");
    });
    CatalogValidation validation = VALIDATOR.validate(file);
    assertThat(validation.problems()).isEmpty();
    assertThat(validation.items().get(0).vbpBatch()).isEqualTo("第一批");
  }

  @Test
  void xlsxTemplateExplainsEveryColumnAndListsTheDosageForms() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    template.writeXlsx(out);

    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
      assertThat(workbook.getSheetName(0)).isEqualTo("目录");
      Sheet help = workbook.getSheet(CatalogTemplate.HELP_SHEET);
      List<String> firstColumn = new ArrayList<>();
      DataFormatter formatter = new DataFormatter();
      for (Row row : help) {
        firstColumn.add(formatter.formatCellValue(row.getCell(0)));
      }
      for (CatalogColumn column : CatalogColumn.values()) {
        assertThat(firstColumn).as("说明 explains %s", column.header()).contains(column.header());
      }
      String helpText = helpText(help, formatter);
      assertThat(helpText).contains("甲类、乙类、丙类", "引进、调出、变更", "慢阻肺", "帕金森病", "全部成功或全部不导入");
      Sheet forms = workbook.getSheet(CatalogTemplate.DOSAGE_FORM_SHEET);
      assertThat(forms.getLastRowNum()).isEqualTo(VOCABULARY.dosageFormTable().size());
      assertThat(formatter.formatCellValue(forms.getRow(3).getCell(1))).isEqualTo("糖衣/薄膜衣片");
      // Code columns are text-formatted so Excel keeps 本位码 digits.
      int nmpa = CatalogTemplate.columns().indexOf(CatalogColumn.NMPA_STANDARD_CODE);
      assertThat(workbook.getSheet("目录").getColumnStyle(nmpa).getDataFormatString()).isEqualTo("@");
      assertThat(workbook.getSheet("目录").getDataValidations()).hasSize(6);
    }
  }

  private static String helpText(Sheet sheet, DataFormatter formatter) {
    StringBuilder text = new StringBuilder();
    for (Row row : sheet) {
      row.forEach(cell -> text.append(formatter.formatCellValue(cell)).append('\n'));
    }
    return text.toString();
  }

  @Test
  void csvTemplateHasBomAndRoundTrips() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    template.writeCsv(out);
    byte[] bytes = out.toByteArray();

    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    CatalogFile file = READER.read(new ByteArrayInputStream(bytes), CatalogTemplate.CSV_FILE_NAME);
    assertThat(file.columns()).containsExactlyElementsOf(CatalogTemplate.columns());
    assertThat(file.rows()).singleElement()
        .satisfies(row -> assertThat(row.values().values()).containsExactlyElementsOf(
            CatalogTemplate.exampleCells().stream().filter(s -> !s.isEmpty()).toList()));
    assertThat(VALIDATOR.validate(file).problems()).isEmpty();
  }
}
