package org.lianyao.formulary;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Binary;
import org.lianyao.formulary.report.Table;

/**
 * What a report operation answers with: FHIR resources by default; CSV or XLSX for officials when
 * asked with {@code _format=csv|xlsx} (also the MIME types) or an {@code Accept} header naming
 * {@code text/csv} or the XLSX type. The file is returned as a Binary that
 * {@link TabularDownloadInterceptor} streams as a download.
 */
public enum ReportFormat {
  FHIR,
  CSV,
  XLSX;

  /** Binary user-data key: the download's file name. */
  public static final String FILE_NAME = ReportFormat.class.getName() + ".fileName";

  public static ReportFormat requested(RequestDetails request) {
    String[] formats = request.getParameters().get("_format");
    if (formats != null) {
      for (String f : formats) {
        ReportFormat format = parse(f);
        if (format != null) {
          return format;
        }
      }
      return FHIR;
    }
    List<String> accept = request.getHeaders("Accept");
    if (accept != null) {
      for (String header : accept) {
        String h = header.toLowerCase(Locale.ROOT);
        if (h.contains(Table.XLSX_CONTENT_TYPE)) {
          return XLSX;
        }
        if (h.contains("text/csv")) {
          return CSV;
        }
      }
    }
    return FHIR;
  }

  /** {@code csv}, {@code text/csv}, {@code xlsx}, {@code excel} or the XLSX MIME type; else {@code null}. */
  static ReportFormat parse(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    int semicolon = v.indexOf(';');
    if (semicolon >= 0) {
      v = v.substring(0, semicolon).trim();
    }
    return switch (v) {
      case "csv", "text/csv" -> CSV;
      case "xlsx", "excel", Table.XLSX_CONTENT_TYPE -> XLSX;
      default -> null;
    };
  }

  /** The table as a downloadable Binary ({@code fileStem.csv} / {@code fileStem.xlsx}). */
  public Binary download(Table table, String fileStem) {
    if (this == FHIR) {
      throw new IllegalStateException("FHIR responses are resources, not downloads");
    }
    return file(this == CSV ? table.toCsv() : table.toXlsx(), fileStem);
  }

  public Binary file(byte[] content, String fileStem) {
    Binary binary = new Binary();
    binary.setContentType(this == CSV ? Table.CSV_CONTENT_TYPE : Table.XLSX_CONTENT_TYPE);
    binary.setContent(content);
    binary.setUserData(FILE_NAME, fileStem + (this == CSV ? ".csv" : ".xlsx"));
    return binary;
  }
}
