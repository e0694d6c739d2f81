package org.lianyao.feed.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The problem list of a rejected formulary file, for people: a Chinese report (CSV, XLSX or text)
 * that the file route puts beside a failed file in the error folder, and an OperationOutcome for
 * {@code InsurancePlan/$import-catalog}. Columns: 行号, 列, 值, 问题说明, English diagnostic.
 */
public final class CatalogImportReport {

  /** Report file formats. */
  public enum Format {
    CSV("csv", "text/csv; charset=UTF-8"),
    XLSX("xlsx", CatalogTemplate.XLSX_CONTENT_TYPE),
    TEXT("txt", "text/plain; charset=UTF-8");

    private final String extension;
    private final String contentType;

    Format(String extension, String contentType) {
      this.extension = extension;
      this.contentType = contentType;
    }

    public String extension() {
      return extension;
    }

    public String contentType() {
      return contentType;
    }
  }

  static final List<String> HEADERS = List.of("行号", "列", "值", "问题说明", "English diagnostic");
  private static final String FILE_ROW = "文件";

  private final String sourceName;
  private final List<CatalogProblem> problems;

  public CatalogImportReport(String sourceName, List<CatalogProblem> problems) {
    this.sourceName = Objects.requireNonNullElse(sourceName, "");
    this.problems = problems.stream().sorted(CatalogProblem.ORDER).toList();
  }

  public static CatalogImportReport of(CatalogValidation validation) {
    return new CatalogImportReport(validation.file().sourceName(), validation.problems());
  }

  public List<CatalogProblem> problems() {
    return problems;
  }

  /** {@code 目录.xlsx} → {@code 目录.xlsx.report.csv}: keeps the original name visible beside it. */
  public static String reportFileName(String sourceName, Format format) {
    return sourceName + ".report." + format.extension();
  }

  /** One-line Chinese summary. */
  public String summary() {
    return problems.isEmpty()
        ? "用药目录文件“" + sourceName + "”检查通过，没有发现问题"
        : "用药目录文件“" + sourceName + "”有 " + problems.size() + " 个问题，未导入任何数据；请全部修正后重新提交";
  }

  /** Plain-text report: the summary, then one line per problem with its English diagnostic. */
  public String toText() {
    StringBuilder text = new StringBuilder(summary()).append('\n');
    for (CatalogProblem p : problems) {
      text.append(p.chineseLocation());
      if (!p.value().isEmpty()) {
        text.append("（").append(p.value()).append("）");
      }
      text.append("：").append(p.chineseMessage())
          .append("  [").append(p.englishLocation()).append(": ").append(p.englishDiagnostic()).append("]\n");
    }
    return text.toString();
  }

  /** CSV in UTF-8 with BOM, so that Chinese Excel opens it without garbling. */
  public void writeCsv(OutputStream out) throws IOException {
    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    writer.write('\uFEFF');
    CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180);
    printer.printRecord(HEADERS);
    for (CatalogProblem p : problems) {
      printer.printRecord(rowLabel(p), p.column(), defuse(p.value()), p.chineseMessage(), p.englishDiagnostic());
    }
    printer.flush();
  }

  /** XLSX with one sheet 问题清单. */
  public void writeXlsx(OutputStream out) throws IOException {
    try (Workbook workbook = new XSSFWorkbook()) {
      Sheet sheet = workbook.createSheet("问题清单");
      CellStyle bold = workbook.createCellStyle();
      Font font = workbook.createFont();
      font.setBold(true);
      bold.setFont(font);
      CellStyle wrap = workbook.createCellStyle();
      wrap.setWrapText(true);
      Row summaryRow = sheet.createRow(0);
      summaryRow.createCell(0).setCellValue(summary());
      Row header = sheet.createRow(1);
      for (int i = 0; i < HEADERS.size(); i++) {
        Cell cell = header.createCell(i);
        cell.setCellValue(HEADERS.get(i));
        cell.setCellStyle(bold);
      }
      int r = 2;
      for (CatalogProblem p : problems) {
        Row row = sheet.createRow(r++);
        if (p.row() == CatalogProblem.FILE) {
          row.createCell(0).setCellValue(FILE_ROW);
        } else {
          row.createCell(0).setCellValue(p.row());
        }
        row.createCell(1).setCellValue(p.column());
        row.createCell(2).setCellValue(p.value());
        Cell message = row.createCell(3);
        message.setCellValue(p.chineseMessage());
        message.setCellStyle(wrap);
        row.createCell(4).setCellValue(p.englishDiagnostic());
      }
      int[] widths = {8, 14, 28, 60, 60};
      for (int i = 0; i < widths.length; i++) {
        sheet.setColumnWidth(i, widths[i] * 256);
      }
      sheet.createFreezePane(0, 2);
      workbook.write(out);
    }
  }

  public void write(Format format, OutputStream out) throws IOException {
    switch (format) {
      case CSV -> writeCsv(out);
      case XLSX -> writeXlsx(out);
      case TEXT -> {
        out.write(toText().getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  public byte[] toBytes(Format format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }

  /**
   * One error issue per problem: details.text is the Chinese location and message, diagnostics the
   * English ones, so the row numbers reach the user whichever field a client shows.
   */
  public OperationOutcome toOperationOutcome() {
    OperationOutcome outcome = new OperationOutcome();
    for (CatalogProblem p : problems) {
      outcome.addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.INVALID)
          .setDiagnostics(p.englishLocation() + ": " + p.englishDiagnostic())
          .getDetails().setText(p.chineseLocation() + "：" + p.chineseMessage());
    }
    return outcome;
  }

  private static String rowLabel(CatalogProblem p) {
    return p.row() == CatalogProblem.FILE ? FILE_ROW : Integer.toString(p.row());
  }

  /**
   * Cell values come from an uploaded file; one starting with {@code = + - @} would run as a formula
   * when the CSV report is opened in Excel, so it gets a leading apostrophe.
   */
  static String defuse(String value) {
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      return "'" + value;
    }
    return value;
  }
}
