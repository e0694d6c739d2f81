package org.lianyao.feed.catalog;

/** A dropped file failed validation: nothing was written; the report says what to fix. */
public class CatalogFileRejectedException extends RuntimeException {

  private final transient CatalogImportReport report;

  public CatalogFileRejectedException(CatalogImportReport report) {
    super(report.problems().size() + " problem(s) in the catalog file; first: "
        + (report.problems().isEmpty() ? "-" : report.problems().get(0).englishLocation() + ": "
            + report.problems().get(0).englishDiagnostic()));
    this.report = report;
  }

  public CatalogImportReport report() {
    return report;
  }
}
