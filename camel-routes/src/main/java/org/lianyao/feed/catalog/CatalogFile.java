package org.lianyao.feed.catalog;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link CatalogReader} read from one formulary file.
 *
 * @param sourceName file name (for reports and logs)
 * @param format CSV or XLSX
 * @param encoding the detected character set of a CSV ({@code UTF-8} or {@code GB18030}); for XLSX
 *     {@code UTF-8} (Office Open XML stores Unicode)
 * @param sheetName the sheet read (XLSX), else empty
 * @param headerRow 1-based row number of the header row (1 unless title rows precede it); 0 if none
 * @param columns recognised columns, in file order
 * @param ignoredHeaders header texts that name no known column (kept for the report, not a problem)
 * @param rows data rows, blank rows skipped, in file order
 * @param problems problems found while reading (missing columns, unreadable file, formula errors);
 *     {@link CatalogValidator} adds them to its own list
 */
public record CatalogFile(String sourceName, Format format, String encoding, String sheetName,
    int headerRow, List<CatalogColumn> columns, List<String> ignoredHeaders, List<CatalogRow> rows,
    List<CatalogProblem> problems) {

  public enum Format { CSV, XLSX }

  public CatalogFile {
    columns = List.copyOf(columns);
    ignoredHeaders = List.copyOf(ignoredHeaders);
    rows = List.copyOf(rows);
    problems = List.copyOf(problems);
  }

  public boolean hasColumn(CatalogColumn column) {
    return columns.contains(column);
  }

  public Set<CatalogColumn> columnSet() {
    return columns.isEmpty() ? Set.of() : EnumSet.copyOf(columns);
  }
}
