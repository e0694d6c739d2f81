package org.lianyao.feed.catalog;

import java.util.List;

/**
 * Result of {@link CatalogValidator#validate(CatalogFile)}.
 *
 * @param file what was read
 * @param problems every problem, sorted by row and column; empty means the file may be imported
 * @param items the interpreted rows that have no problem of their own, in file order. When the file
 *     has problems this list is partial and meant only for previews: imports are all-or-nothing
 */
public record CatalogValidation(CatalogFile file, List<CatalogProblem> problems, List<CatalogItem> items) {

  public CatalogValidation {
    problems = List.copyOf(problems);
    items = List.copyOf(items);
  }

  public boolean isValid() {
    return problems.isEmpty();
  }
}
