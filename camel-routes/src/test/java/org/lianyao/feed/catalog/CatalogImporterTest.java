package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.feed.catalog.CatalogTestSupport.TERMINOLOGY;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogImporterTest {

  private static final CatalogImporter IMPORTER = new CatalogImporter(TERMINOLOGY);
  private static final FormularyTarget TARGET =
      FormularyTarget.ofIdentifier("http://lianyao.org/fhir/sid/formulary", "YB-CONSORTIUM-2025");

  @Test
  void validFileYieldsTheTransaction() throws IOException {
    CatalogImportResult result = IMPORTER.prepare(fixture("valid-catalog.csv"), TARGET);

    assertThat(result.isValid()).isTrue();
    assertThat(result.itemCount()).isEqualTo(8);
    assertThat(result.transaction().getEntry()).hasSize(16);
    assertThat(result.report().summary()).contains("检查通过");
  }

  @Test
  void invalidFileYieldsNoTransactionAndAReport(@TempDir Path errorFolder) throws IOException {
    CatalogImportResult result = IMPORTER.prepare(fixture("bad-rows.csv"), TARGET);

    assertThat(result.isValid()).isFalse();
    assertThat(result.transaction()).isNull();
    assertThat(result.problems()).hasSize(16);
    // What the file route does: the report goes beside the failed file.
    Path report = errorFolder.resolve(CatalogImportReport.reportFileName("bad-rows.csv", CatalogImportReport.Format.CSV));
    Files.write(report, result.report().toBytes(CatalogImportReport.Format.CSV));
    assertThat(Files.readString(report)).contains("片子", "与第2行重复");
  }

  /** Functional check at benchmark scale (timing belongs to bench/, not here). */
  @Test
  void fiveThousandRowWorkbookIsReadValidatedAndConverted() throws IOException {
    int rows = 5_000;
    byte[] workbook = largeWorkbook(rows);

    long start = System.nanoTime();
    CatalogImportResult result = IMPORTER.prepare(new ByteArrayInputStream(workbook), "large.xlsx", TARGET);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(result.problems()).isEmpty();
    assertThat(result.itemCount()).isEqualTo(rows);
    Bundle bundle = result.transaction();
    assertThat(bundle.getEntry()).hasSize(2 * rows);
    assertThat(bundle.getEntry().stream().filter(e -> e.getResource() instanceof Medication).count()).isEqualTo(rows);
    assertThat(bundle.getEntry().stream().filter(e -> e.getResource() instanceof Basic).count()).isEqualTo(rows);
    assertThat(result.validation().items().get(rows - 1).rowNumber()).isEqualTo(rows + 1);
    assertThat(result.validation().items().get(rows - 1).nmpaStandardCode()).hasSize(14);
    System.out.printf("catalog import of %d xlsx rows: read+validate+convert in %d ms (%d bytes)%n",
        rows, millis, workbook.length);
  }

  private static byte[] largeWorkbook(int rows) throws IOException {
    String[] header = CatalogTemplate.columns().stream().map(CatalogColumn::header).toArray(String[]::new);
    String[] forms = {"片剂", "胶囊", "缓释片", "注射液", "颗粒剂"};
    String[] groups = {"高血压", "糖尿病", "慢阻肺", "冠心病、脑卒中", "", "抑郁症"};
    try (SXSSFWorkbook workbook = new SXSSFWorkbook(200); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = workbook.createSheet("目录");
      Row head = sheet.createRow(0);
      for (int c = 0; c < header.length; c++) {
        head.createCell(c).setCellValue(header[c]);
      }
      for (int i = 1; i <= rows; i++) {
        Row row = sheet.createRow(i);
        row.createCell(0).setCellValue(i);
        row.createCell(1).setCellValue("测试药品" + (i % 700) + "片");
        row.createCell(2).setCellValue(forms[i % forms.length]);
        row.createCell(3).setCellValue((i % 50 + 1) + "mg");
        row.createCell(4).setCellValue((i % 50 + 1) + "mg×" + (i / 50 + 1) + "片/盒");
        row.createCell(5).setCellValue("测试制药有限公司" + (i % 37));
        String first13 = String.format("869%010d", i);
        row.createCell(7).setCellValue(Long.parseLong(first13 + org.lianyao.terminology.id.Gs1.checkDigit(first13)));
        row.createCell(9).setCellValue(i % 3 == 0 ? "是" : "否");
        row.createCell(11).setCellValue("是");
        row.createCell(12).setCellValue(i % 2 == 0 ? "甲类" : "乙类");
        row.createCell(13).setCellValue(groups[i % groups.length]);
        row.createCell(14).setCellValue("是");
      }
      workbook.write(out);
      workbook.dispose();
      return out.toByteArray();
    }
  }
}
