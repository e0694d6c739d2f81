package org.lianyao.formulary.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A report as officials read it: Chinese column headers and one row per line, written as CSV
 * (UTF-8 with BOM, so Chinese Excel opens it ungarbled) or XLSX. Cells are strings or numbers.
 *
 * @param title sheet name and file name stem, e.g. {@code 衔接药品配备率}
 * @param headers Chinese column headers
 * @param rows cell values, {@code null} for empty
 */
public record Table(String title, List<String> headers, List<List<Object>> rows) {

  public static final String CSV_CONTENT_TYPE = "text/csv; charset=UTF-8";
  public static final String XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  public Table {
    Objects.requireNonNull(title, "title");
    headers = List.copyOf(headers);
    List<List<Object>> copy = new ArrayList<>();
    for (List<Object> row : rows) {
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = List.copyOf(copy);
  }

  public byte[] toCsv() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180)) {
      writer.write('\uFEFF');
      printer.printRecord(headers);
      for (List<Object> row : rows) {
        List<String> cells = new ArrayList<>(row.size());
        for (Object cell : row) {
          cells.add(cell == null ? "" : defuse(text(cell)));
        }
        printer.printRecord(cells);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory
    }
    return out.toByteArray();
  }

  public byte[] toXlsx() {
    try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = workbook.createSheet(sheetName(title));
      CellStyle bold = workbook.createCellStyle();
      Font font = workbook.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row header = sheet.createRow(0);
      for (int c = 0; c < headers.size(); c++) {
        Cell cell = header.createCell(c);
        cell.setCellValue(headers.get(c));
        cell.setCellStyle(bold);
        sheet.setColumnWidth(c, Math.min(60, Math.max(10, headers.get(c).length() * 3 + 4)) * 256);
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = sheet.createRow(r + 1);
        List<Object> values = rows.get(r);
        for (int c = 0; c < values.size(); c++) {
          Object value = values.get(c);
          if (value == null) {
            continue;
          }
          Cell cell = row.createCell(c);
          if (value instanceof Number n) {
            cell.setCellValue(n.doubleValue());
          } else {
            cell.setCellValue(text(value));
          }
        }
      }
      sheet.createFreezePane(0, 1);
      workbook.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object cell) {
    return cell instanceof BigDecimal d ? d.toPlainString() : cell.toString();
  }

  /** Excel sheet names: at most 31 characters, none of {@code : \ / ? * [ ]}. */
  static String sheetName(String title) {
    String name = title.replaceAll("[:\\\\/?*\\[\\]]", "_");
    return name.length() > 31 ? name.substring(0, 31) : name;
  }

  /** A text cell starting with = + - @ would run as a formula in Excel (CSV injection). */
  static String defuse(String value) {
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !isNumber(value)) {
      return "'" + value;
    }
    return value;
  }

  private static boolean isNumber(String value) {
    try {
      new BigDecimal(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
