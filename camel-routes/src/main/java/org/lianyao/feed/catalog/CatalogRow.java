package org.lianyao.feed.catalog;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One data row of a formulary file as read: trimmed cell texts by column, nothing interpreted yet.
 *
 * @param rowNumber 1-based row number as the spreadsheet shows it (CSV: record number)
 * @param values cell texts of the recognised columns; absent columns and empty cells are absent
 */
public record CatalogRow(int rowNumber, Map<CatalogColumn, String> values) {

  public CatalogRow {
    EnumMap<CatalogColumn, String> copy = new EnumMap<>(CatalogColumn.class);
    values.forEach((column, value) -> {
      if (value != null && !value.isEmpty()) {
        copy.put(column, value);
      }
    });
    values = Collections.unmodifiableMap(copy);
  }

  /** The cell text, or {@code ""} when the cell is empty or the column absent. */
  public String get(CatalogColumn column) {
    return values.getOrDefault(column, "");
  }

  public boolean has(CatalogColumn column) {
    return values.containsKey(column);
  }
}
