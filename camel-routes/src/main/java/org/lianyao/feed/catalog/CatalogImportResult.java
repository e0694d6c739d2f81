package org.lianyao.feed.catalog;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Outcome of {@link CatalogImporter#prepare}: either problems (nothing to write) or the transaction.
 *
 * @param validation the validation, with every problem
 * @param transaction the transaction bundle to submit, or {@code null} when there are problems
 */
public record CatalogImportResult(CatalogValidation validation, Bundle transaction) {

  public boolean isValid() {
    return validation.isValid();
  }

  public List<CatalogProblem> problems() {
    return validation.problems();
  }

  /** Product-specs (品规) in the file; each gives one Medication and one formulary item. */
  public int itemCount() {
    return validation.items().size();
  }

  /** The Chinese problem report for the error folder or an OperationOutcome. */
  public CatalogImportReport report() {
    return CatalogImportReport.of(validation);
  }
}
