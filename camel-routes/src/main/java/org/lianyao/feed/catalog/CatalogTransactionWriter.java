package org.lianyao.feed.catalog;

/**
 * Writes a prepared catalog import into the FHIR store. The server implements it with HAPI's system
 * DAO; the file route and the {@code InsurancePlan/$import-catalog} operation both call it, so a
 * file dropped into the inbox and a file uploaded over REST end in the same state.
 *
 * <p>Implementations write all-or-nothing (one FHIR transaction) and leave the formulary holding
 * exactly the file's items: items of the formulary that the file no longer lists are removed in the
 * same transaction.
 */
public interface CatalogTransactionWriter {

  /**
   * Writes a valid import.
   *
   * @param prepared a result of {@link CatalogImporter#prepare} with {@link CatalogImportResult#isValid()}
   * @param target the formulary the transaction was prepared for
   * @return what changed
   * @throws CatalogWriteException when the store refuses the import (unknown formulary, a rule on
   *     write); nothing has been written then
   */
  CatalogWriteOutcome write(CatalogImportResult prepared, FormularyTarget target);
}
