package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.feed.catalog.CatalogTestSupport.READER;
import static org.lianyao.feed.catalog.CatalogTestSupport.VALIDATOR;
import static org.lianyao.feed.catalog.CatalogTestSupport.csvCells;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;
import static org.lianyao.feed.catalog.CatalogTestSupport.xlsx;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogReaderTest {

  private static CatalogFile read(byte[] bytes, String name) throws IOException {
    return READER.read(new ByteArrayInputStream(bytes), name);
  }

  @Test
  void csvRowsAreNumberedAsInExcelWithHeaderOnRowOne() throws IOException {
    CatalogFile file = READER.read(fixture("valid-catalog.csv"));

    assertThat(file.format()).isEqualTo(CatalogFile.Format.CSV);
    assertThat(file.encoding()).isEqualTo("UTF-8");
    assertThat(file.headerRow()).isEqualTo(1);
    assertThat(file.problems()).isEmpty();
    assertThat(file.columns()).containsExactly(CatalogColumn.values());
    assertThat(file.rows()).extracting(CatalogRow::rowNumber).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
    CatalogRow first = file.rows().get(0);
    assertThat(first.get(CatalogColumn.GENERIC_NAME)).isEqualTo("阿托伐他汀钙片");
    assertThat(first.get(CatalogColumn.NMPA_STANDARD_CODE)).isEqualTo("86900000000010");
    assertThat(first.get(CatalogColumn.NHSA_DRUG_CODE)).isEmpty();
    assertThat(file.rows().get(7).get(CatalogColumn.CHANGE_REASON)).isEqualTo("包装由150丸改为180丸");
  }

  @Test
  void utf8BomIsStripped() throws IOException {
    byte[] plain = Files.readAllBytes(fixture("valid-catalog.csv"));
    byte[] withBom = new byte[plain.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(plain, 0, withBom, 3, plain.length);

    CatalogFile file = read(withBom, "bom.csv");

    assertThat(file.problems()).isEmpty();
    assertThat(file.columns()).first().isEqualTo(CatalogColumn.SEQUENCE);
    assertThat(file.rows()).hasSize(8);
  }

  @Test
  void gb18030CsvFromChineseExcelIsDetectedAndReadLikeUtf8() throws IOException {
    Path gb = fixture("valid-catalog-gb18030.csv");
    byte[] bytes = Files.readAllBytes(gb);
    // The fixture must really be GB18030, i.e. not decodable as UTF-8.
    assertThat(CatalogReader.decode(bytes).charset().name()).isEqualTo("GB18030");

    CatalogFile gbFile = READER.read(gb);
    CatalogFile utf8File = READER.read(fixture("valid-catalog.csv"));

    assertThat(gbFile.encoding()).isEqualTo("GB18030");
    assertThat(gbFile.problems()).isEmpty();
    assertThat(gbFile.rows()).isEqualTo(utf8File.rows());
    assertThat(gbFile.rows().get(4).get(CatalogColumn.STRENGTH)).isEqualTo("18μg");
    assertThat(gbFile.rows().get(3).get(CatalogColumn.MANUFACTURER)).isEqualTo("石药集团中诺药业（石家庄）有限公司");
  }

  @Test
  void utf16TabSeparatedUnicodeTextIsRead() throws IOException {
    List<List<Object>> cells = csvCells(fixture("valid-catalog.csv"));
    StringBuilder tsv = new StringBuilder();
    for (List<Object> row : cells) {
      tsv.append(String.join("\t", row.stream().map(Object::toString).toList())).append("\r\n");
    }
    byte[] body = tsv.toString().getBytes(StandardCharsets.UTF_16LE);
    byte[] bytes = new byte[body.length + 2];
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xFE;
    System.arraycopy(body, 0, bytes, 2, body.length);

    CatalogFile file = read(bytes, "unicode.txt");

    assertThat(file.encoding()).isEqualTo("UTF-16LE");
    assertThat(file.rows()).isEqualTo(READER.read(fixture("valid-catalog.csv")).rows());
  }

  @Test
  void headerSynonymsTitleRowsAndDecoratedHeadersAreRecognised() throws IOException {
    CatalogFile file = READER.read(fixture("synonym-headers.csv"));

    assertThat(file.problems()).isEmpty();
    assertThat(file.headerRow()).isEqualTo(2);
    assertThat(file.rows()).extracting(CatalogRow::rowNumber).containsExactly(3, 4);
    assertThat(file.columns()).containsExactly(
        CatalogColumn.SEQUENCE, CatalogColumn.GENERIC_NAME, CatalogColumn.DOSAGE_FORM, CatalogColumn.STRENGTH,
        CatalogColumn.PACKAGE, CatalogColumn.MANUFACTURER, CatalogColumn.NHSA_DRUG_CODE,
        CatalogColumn.NMPA_STANDARD_CODE, CatalogColumn.APPROVAL_NUMBER, CatalogColumn.VBP,
        CatalogColumn.ESSENTIAL_MEDICINE, CatalogColumn.INSURANCE_CLASS, CatalogColumn.CHRONIC_DISEASE_GROUP,
        CatalogColumn.LINKAGE_DRUG, CatalogColumn.VBP_BATCH);
    assertThat(file.ignoredHeaders()).containsExactly("备注");
    CatalogRow amlodipine = file.rows().get(0);
    assertThat(amlodipine.get(CatalogColumn.GENERIC_NAME)).isEqualTo("苯磺酸氨氯地平片");
    assertThat(amlodipine.get(CatalogColumn.MANUFACTURER)).isEqualTo("浙江京新药业股份有限公司");
    assertThat(amlodipine.get(CatalogColumn.NMPA_STANDARD_CODE)).isEqualTo("86900000000034");
    assertThat(amlodipine.get(CatalogColumn.VBP_BATCH)).isEqualTo("第一批");

    CatalogValidation validation = VALIDATOR.validate(file);
    assertThat(validation.problems()).isEmpty();
    assertThat(validation.items().get(1).nhsaDrugCode()).isEqualTo("XA10BAE021A010010201650");
  }

  @Test
  void headerMatchingIgnoresSpacesFullWidthFormsMarkersAndHints() {
    assertThat(CatalogColumn.forHeader(" 通 用 名 ")).contains(CatalogColumn.GENERIC_NAME);
    assertThat(CatalogColumn.forHeader("*生产厂家")).contains(CatalogColumn.MANUFACTURER);
    assertThat(CatalogColumn.forHeader("＊国家医保编码")).contains(CatalogColumn.NHSA_DRUG_CODE);
    assertThat(CatalogColumn.forHeader("药品本位码")).contains(CatalogColumn.NMPA_STANDARD_CODE);
    assertThat(CatalogColumn.forHeader("医保类别（甲/乙/丙）")).contains(CatalogColumn.INSURANCE_CLASS);
    assertThat(CatalogColumn.forHeader("规格【含量】")).contains(CatalogColumn.STRENGTH);
    assertThat(CatalogColumn.forHeader("Ｎｏ．")).contains(CatalogColumn.SEQUENCE);
    assertThat(CatalogColumn.forHeader("单价")).isEmpty();
  }

  @Test
  void missingAndDuplicateColumnsAreReportedOnTheHeaderRow() throws IOException {
    String csv = "通用名,药品通用名,剂型,规格,生产企业,医保药品编码,批准文号,集采,基药,医保类别,慢病病种,衔接药品\n"
        + "阿托伐他汀钙片,阿托伐他汀钙片,片剂,20mg,北京嘉林药业股份有限公司,,,是,是,,,是\n";

    CatalogFile file = read(csv.getBytes(StandardCharsets.UTF_8), "columns.csv");

    assertThat(file.problems())
        .extracting(CatalogProblem::row, CatalogProblem::column)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1, "通用名"),
            org.assertj.core.groups.Tuple.tuple(1, "包装"),
            org.assertj.core.groups.Tuple.tuple(1, "本位码"));
    assertThat(file.problems()).filteredOn(p -> p.column().equals("通用名"))
        .singleElement().satisfies(p -> assertThat(p.chineseMessage()).contains("第A列", "第B列", "重复"));
    assertThat(file.problems()).filteredOn(p -> p.column().equals("包装"))
        .singleElement().satisfies(p -> assertThat(p.chineseMessage()).contains("缺少必备列", "可留空"));
    // Column problems block the import, even though the row itself would be fine.
    assertThat(VALIDATOR.validate(file).isValid()).isFalse();
  }

  @Test
  void fileWithoutHeaderRowIsOneFileProblem() throws IOException {
    CatalogFile file = read("姓名,年龄\n张三,30\n".getBytes(StandardCharsets.UTF_8), "people.csv");

    assertThat(file.problems()).singleElement().satisfies(p -> {
      assertThat(p.row()).isEqualTo(CatalogProblem.FILE);
      assertThat(p.chineseMessage()).contains("未找到表头行");
    });
    assertThat(file.rows()).isEmpty();
  }

  @Test
  void headerWithoutDataIsAProblemForTheValidator() throws IOException {
    byte[] header = Files.readAllLines(fixture("valid-catalog.csv")).get(0).getBytes(StandardCharsets.UTF_8);

    CatalogValidation validation = VALIDATOR.validate(read(header, "empty.csv"));

    assertThat(validation.problems()).singleElement()
        .satisfies(p -> assertThat(p.chineseMessage()).contains("没有药品数据行"));
  }

  @Test
  void unbalancedQuotesAreAFileProblemNotAnException() throws IOException {
    String csv = Files.readString(fixture("valid-catalog.csv")) + "9,\"阿司匹林肠溶片,肠溶片,100mg\n";

    CatalogFile file = read(csv.getBytes(StandardCharsets.UTF_8), "broken.csv");

    assertThat(file.problems()).singleElement()
        .satisfies(p -> assertThat(p.chineseMessage()).contains("CSV 文件格式错误"));
  }

  @Test
  void xlsxKeepsNumericCodesDatesFormulasAndSkipsTrailingEmptyRows() throws IOException {
    List<List<Object>> cells = csvCells(fixture("valid-catalog.csv"));
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("渝北区医共体慢病用药衔接目录（2025年版）"));
    rows.add(cells.get(0));
    for (int r = 1; r < cells.size(); r++) {
      List<Object> row = new ArrayList<>(cells.get(r));
      row.set(0, Integer.parseInt(row.get(0).toString())); // 序号 typed as a number
      if (!row.get(7).toString().isEmpty()) {
        row.set(7, Long.parseLong(row.get(7).toString())); // 本位码 typed as a number
      }
      if (!row.get(18).toString().isEmpty()) {
        row.set(18, LocalDate.of(2025, 4, 1)); // 生效日期 as a real date cell
      }
      rows.add(row);
    }
    // 包装 of the first product computed by a formula, as committees do for 规格×数量.
    rows.get(2).set(4, new CatalogTestSupport.Formula("\"20mg×\"&7&\"片/盒\""));
    byte[] workbook = xlsx(CatalogReader.PREFERRED_SHEET, 0, rows, wb -> {
      Sheet sheet = wb.getSheet(CatalogReader.PREFERRED_SHEET);
      CellStyle bordered = wb.createCellStyle();
      bordered.setBorderBottom(org.apache.poi.ss.usermodel.BorderStyle.THIN);
      // Formatted but empty rows below the data, as Excel leaves them.
      for (int r = rows.size(); r < rows.size() + 20; r++) {
        Row row = sheet.createRow(r);
        for (int c = 0; c < 20; c++) {
          Cell cell = row.createCell(c);
          cell.setCellStyle(bordered);
          if (c == 1) {
            cell.setCellValue("   ");
          }
        }
      }
    });

    CatalogFile file = read(workbook, "catalog.xlsx");

    assertThat(file.format()).isEqualTo(CatalogFile.Format.XLSX);
    assertThat(file.sheetName()).isEqualTo("目录");
    assertThat(file.problems()).isEmpty();
    assertThat(file.headerRow()).isEqualTo(2);
    assertThat(file.rows()).extracting(CatalogRow::rowNumber).containsExactly(3, 4, 5, 6, 7, 8, 9, 10);
    CatalogRow first = file.rows().get(0);
    assertThat(first.get(CatalogColumn.SEQUENCE)).isEqualTo("1");
    assertThat(first.get(CatalogColumn.NMPA_STANDARD_CODE)).isEqualTo("86900000000010");
    assertThat(first.get(CatalogColumn.PACKAGE)).isEqualTo("20mg×7片/盒");
    assertThat(file.rows().get(2).get(CatalogColumn.EFFECTIVE_DATE)).isEqualTo("2025-04-01");
    assertThat(file.rows().get(5).get(CatalogColumn.NMPA_STANDARD_CODE)).isEqualTo("86900000000027");
    assertThat(VALIDATOR.validate(file).problems()).isEmpty();
  }

  @Test
  void xlsxPrefersTheSheetNamed目录OverTheFirstSheet() throws IOException {
    List<List<Object>> cells = csvCells(fixture("valid-catalog.csv"));
    byte[] workbook = xlsx("封面", 0, List.of(List.of("通用名", "剂型", "规格"), List.of("不是目录", "片剂", "1mg")),
        wb -> {
          Sheet catalog = wb.createSheet("目录");
          for (int r = 0; r < cells.size(); r++) {
            Row row = catalog.createRow(r);
            for (int c = 0; c < cells.get(r).size(); c++) {
              row.createCell(c).setCellValue(cells.get(r).get(c).toString());
            }
          }
        });

    CatalogFile file = read(workbook, "two-sheets.xlsx");

    assertThat(file.sheetName()).isEqualTo("目录");
    assertThat(file.rows()).hasSize(8);
  }

  @Test
  void xlsxFirstSheetIsReadWhenNoneIsNamed目录() throws IOException {
    byte[] workbook = xlsx("Sheet1", 0, csvCells(fixture("valid-catalog.csv")), null);

    CatalogFile file = read(workbook, "sheet1.xlsx");

    assertThat(file.sheetName()).isEqualTo("Sheet1");
    assertThat(file.rows()).hasSize(8);
  }

  @Test
  void verticallyMergedCellsGiveTheirValueToEveryCoveredRow() throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("通用名", "剂型", "规格", "包装", "生产企业", "医保药品编码", "本位码", "批准文号", "集采", "基药",
        "医保类别", "慢病病种", "衔接药品"));
    rows.add(List.of("苯磺酸氨氯地平片", "片剂", "5mg", "", "浙江京新药业股份有限公司", "", "", "", "是", "是", "甲类", "高血压", "是"));
    rows.add(List.of("厄贝沙坦片", "片剂", "150mg", "", "浙江华海药业股份有限公司", "", "", "", "是", "", "", "", "是"));
    rows.add(List.of("氯沙坦钾片", "片剂", "50mg", "", "浙江华海药业股份有限公司", "", "", "", "是", "", "", "", "是"));
    rows.add(List.of("盐酸二甲双胍片", "片剂", "0.5g", "", "中美上海施贵宝制药有限公司", "", "", "", "", "是", "甲类", "糖尿病", "是"));
    byte[] workbook = xlsx("目录", 0, rows,
        wb -> wb.getSheetAt(0).addMergedRegion(new CellRangeAddress(1, 3, 11, 11)));

    CatalogFile file = read(workbook, "merged.xlsx");

    assertThat(file.rows()).extracting(r -> r.get(CatalogColumn.CHRONIC_DISEASE_GROUP))
        .containsExactly("高血压", "高血压", "高血压", "糖尿病");
    assertThat(VALIDATOR.validate(file).problems()).isEmpty();
  }

  @Test
  void formulaErrorsAreReportedOnceAtTheirCell() throws IOException {
    List<List<Object>> cells = csvCells(fixture("valid-catalog.csv"));
    List<List<Object>> rows = new ArrayList<>(cells.subList(0, 3));
    List<Object> broken = new ArrayList<>(rows.get(2));
    broken.set(5, new CatalogTestSupport.Formula("VLOOKUP(\"x\",Z1:Z2,1,FALSE)")); // 生产企业 → #N/A
    rows.set(2, broken);

    CatalogFile file = read(xlsx("目录", 0, rows, null), "errors.xlsx");
    CatalogValidation validation = VALIDATOR.validate(file);

    assertThat(validation.problems()).singleElement().satisfies(p -> {
      assertThat(p.row()).isEqualTo(3);
      assertThat(p.column()).isEqualTo("生产企业");
      assertThat(p.value()).isEqualTo("#N/A");
      assertThat(p.chineseMessage()).contains("公式");
    });
  }

  @Test
  void formulaErrorsExportedToCsvAreReportedToo() throws IOException {
    String csv = Files.readString(fixture("valid-catalog.csv")).replace("86900000000027", "#REF!");

    CatalogValidation validation = VALIDATOR.validate(read(csv.getBytes(StandardCharsets.UTF_8), "ref.csv"));

    assertThat(validation.problems()).singleElement().satisfies(p -> {
      assertThat(p.row()).isEqualTo(7);
      assertThat(p.column()).isEqualTo("本位码");
      assertThat(p.value()).isEqualTo("#REF!");
    });
  }

  @Test
  void legacyXlsAndDamagedXlsxAreFileProblems() throws IOException {
    byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
    byte[] damagedZip = {0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8};

    assertThat(read(ole2, "old.xls").problems()).singleElement()
        .satisfies(p -> assertThat(p.chineseMessage()).contains(".xls"));
    assertThat(read(damagedZip, "bad.xlsx").problems()).singleElement()
        .satisfies(p -> assertThat(p.row()).isEqualTo(CatalogProblem.FILE));
  }

  @Test
  void readingFromDiskUsesTheSameRowsAsReadingAStream(@TempDir Path dir) throws IOException {
    Path xlsxFile = dir.resolve("目录.xlsx");
    Files.write(xlsxFile, xlsx("目录", 0, csvCells(fixture("valid-catalog.csv")), null));

    CatalogFile fromDisk = READER.read(xlsxFile);
    CatalogFile fromStream = read(Files.readAllBytes(xlsxFile), "目录.xlsx");

    assertThat(fromDisk.rows()).isEqualTo(fromStream.rows());
    assertThat(fromDisk.sourceName()).isEqualTo("目录.xlsx");
  }

  @Test
  void datesOfWorkbooksUsingThe1904DateSystemAreNotShifted() throws IOException {
    List<List<Object>> cells = csvCells(fixture("valid-catalog.csv"));
    byte[] bytes;
    try (org.apache.poi.xssf.usermodel.XSSFWorkbook workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
      var ct = workbook.getCTWorkbook();
      (ct.isSetWorkbookPr() ? ct.getWorkbookPr() : ct.addNewWorkbookPr()).setDate1904(true);
      CellStyle dateStyle = workbook.createCellStyle();
      dateStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
      Sheet sheet = workbook.createSheet("目录");
      for (int r = 0; r < 4; r++) {
        Row row = sheet.createRow(r);
        for (int c = 0; c < cells.get(r).size(); c++) {
          String value = cells.get(r).get(c).toString();
          if (c == 18 && r == 3) {
            Cell date = row.createCell(c);
            date.setCellValue(LocalDate.of(2025, 4, 1));
            date.setCellStyle(dateStyle);
          } else if (!value.isEmpty()) {
            row.createCell(c).setCellValue(value);
          }
        }
      }
      assertThat(workbook.isDate1904()).isTrue();
      workbook.write(out);
      bytes = out.toByteArray();
    }

    CatalogFile file = read(bytes, "mac.xlsx");

    assertThat(file.rows().get(2).get(CatalogColumn.EFFECTIVE_DATE)).isEqualTo("2025-04-01");
  }

  @Test
  void plainNumberFormatterNeverUsesScientificNotation() {
    assertThat(CatalogReader.PlainNumberFormatter.plain(8.6901234000012E13)).isEqualTo("86901234000012");
    assertThat(CatalogReader.PlainNumberFormatter.plain(0.5)).isEqualTo("0.5");
    assertThat(CatalogReader.PlainNumberFormatter.plain(20.0)).isEqualTo("20");
    assertThat(CatalogReader.PlainNumberFormatter.plain(-0.0)).isEqualTo("0");
  }

  @Test
  void delimiterIsSniffedPastTitleRows() {
    assertThat(CatalogReader.sniffDelimiter("标题\n序号\t通用名\t剂型\t规格\n")).isEqualTo('\t');
    assertThat(CatalogReader.sniffDelimiter("序号;通用名;剂型;规格\n")).isEqualTo(';');
    assertThat(CatalogReader.sniffDelimiter("序号,通用名,剂型\n")).isEqualTo(',');
  }
}
