package org.lianyao.feed.catalog;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.lianyao.terminology.TerminologyResources;

/** Shared test fixtures: the real terminology module, fixture files, and an XLSX builder. */
final class CatalogTestSupport {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final TerminologyResources TERMINOLOGY = new TerminologyResources(FHIR);
  static final CatalogVocabulary VOCABULARY = new CatalogVocabulary(TERMINOLOGY);
  static final CatalogReader READER = new CatalogReader();
  static final CatalogValidator VALIDATOR = new CatalogValidator(VOCABULARY);
  static final CatalogConverter CONVERTER = new CatalogConverter(VOCABULARY);

  private CatalogTestSupport() {}

  /** A file under src/test/resources/catalog. */
  static Path fixture(String name) {
    try {
      return Path.of(CatalogTestSupport.class.getResource("/catalog/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  static byte[] demoCatalog(String name) {
    try (InputStream in = CatalogTestSupport.class.getResourceAsStream("/org/lianyao/feed/catalog/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing demo catalog " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CatalogValidation validate(Path file) throws IOException {
    return VALIDATOR.validate(READER.read(file));
  }

  /** The cells of a CSV fixture (header first), for building an XLSX with the same content. */
  static List<List<Object>> csvCells(Path csv) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    String text = new String(java.nio.file.Files.readAllBytes(csv), StandardCharsets.UTF_8).replace("\uFEFF", "");
    try (CSVParser parser = CSVParser.parse(text, CSVFormat.RFC4180)) {
      for (CSVRecord record : parser) {
        rows.add(new ArrayList<>(record.toList()));
      }
    }
    return rows;
  }

  /** A formula cell for {@link #xlsx}: the builder evaluates it so the file carries a cached result. */
  record Formula(String expression) {}

  /**
   * Builds an XLSX: {@code rows} of String / Number / LocalDate / {@link Formula} / null cells, written
   * from row {@code firstRow} (0-based) of a sheet named {@code sheetName}. Formulas are evaluated
   * and cached, as Excel does on save.
   */
  static byte[] xlsx(String sheetName, int firstRow, List<List<Object>> rows, Consumer<Workbook> customize) {
    try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = workbook.createSheet(sheetName);
      CellStyle dateStyle = workbook.createCellStyle();
      dateStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy/m/d"));
      for (int r = 0; r < rows.size(); r++) {
        Row row = sheet.createRow(firstRow + r);
        List<Object> cells = rows.get(r);
        for (int c = 0; c < cells.size(); c++) {
          Object value = cells.get(c);
          if (value == null || "".equals(value)) {
            continue;
          }
          Cell cell = row.createCell(c);
          if (value instanceof Number number) {
            cell.setCellValue(number.doubleValue());
          } else if (value instanceof LocalDate date) {
            cell.setCellValue(date);
            cell.setCellStyle(dateStyle);
          } else if (value instanceof Formula formula) {
            cell.setCellFormula(formula.expression());
          } else {
            cell.setCellValue(value.toString());
          }
        }
      }
      if (customize != null) {
        customize.accept(workbook);
      }
      workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();
      workbook.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    return FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(resource);
  }
}
