package org.lianyao.feed.catalog;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a formulary file. An import is all-or-nothing: the caller writes nothing
 * unless the list of problems is empty, and shows all of them at once so the committee can fix the
 * file in one pass.
 *
 * @param row 1-based spreadsheet row (the header is normally row 1, so data start at row 2);
 *     {@link #FILE} for a problem with the file as a whole
 * @param column the canonical Chinese header of the column (e.g. {@code 剂型}), or empty when the
 *     problem is not about one column
 * @param value the offending cell text as read (empty when missing)
 * @param chineseMessage message for the pharmacy committee
 * @param englishDiagnostic diagnostic for logs and OperationOutcome.issue.diagnostics
 */
public record CatalogProblem(int row, String column, String value, String chineseMessage,
    String englishDiagnostic) {

  /** Row number of problems that concern the whole file (unreadable, no header row, …). */
  public static final int FILE = 0;

  /** Report order: by row, then by column position in the template, then by message. */
  public static final Comparator<CatalogProblem> ORDER = Comparator
      .comparingInt(CatalogProblem::row)
      .thenComparingInt(CatalogProblem::columnOrder)
      .thenComparing(CatalogProblem::chineseMessage);

  public CatalogProblem {
    Objects.requireNonNull(chineseMessage, "chineseMessage");
    Objects.requireNonNull(englishDiagnostic, "englishDiagnostic");
    column = column == null ? "" : column;
    value = value == null ? "" : value;
  }

  static CatalogProblem of(int row, CatalogColumn column, String value, String chinese, String english) {
    return new CatalogProblem(row, column == null ? "" : column.header(), value, chinese, english);
  }

  /** {@code 第5行【剂型】} style location, for one-line messages. */
  public String chineseLocation() {
    String where = row == FILE ? "文件" : "第" + row + "行";
    return column.isEmpty() ? where : where + "【" + column + "】";
  }

  /** {@code row 5, column 剂型} style location. */
  public String englishLocation() {
    String where = row == FILE ? "file" : "row " + row;
    return column.isEmpty() ? where : where + ", column " + column;
  }

  private int columnOrder() {
    return CatalogColumn.forHeader(column).map(Enum::ordinal).orElse(-1);
  }
}
