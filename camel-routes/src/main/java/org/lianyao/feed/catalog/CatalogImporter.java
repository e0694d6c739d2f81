package org.lianyao.feed.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import org.lianyao.terminology.TerminologyResources;

/**
 * One call for the two callers of the catalog import — the server's {@code InsurancePlan/$import-catalog}
 * operation and the Camel file route: read, validate, and (only when there is no problem at all)
 * convert to the idempotent transaction bundle. Writing the bundle is the caller's job, so this
 * stays pure and testable without a server.
 *
 * <p>Thread-safe; build once per application (the vocabulary reads the terminology module).
 */
public final class CatalogImporter {

  private final CatalogReader reader;
  private final CatalogValidator validator;
  private final CatalogConverter converter;

  public CatalogImporter(CatalogReader reader, CatalogValidator validator, CatalogConverter converter) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.converter = Objects.requireNonNull(converter, "converter");
  }

  /** Default reader, the terminology module's code tables and the national 2024 No. 38 rules. */
  public CatalogImporter(TerminologyResources terminology) {
    this(terminology, CatalogRules.defaults());
  }

  public CatalogImporter(TerminologyResources terminology, CatalogRules rules) {
    CatalogVocabulary vocabulary = new CatalogVocabulary(terminology);
    this.reader = new CatalogReader();
    this.validator = new CatalogValidator(vocabulary);
    this.converter = new CatalogConverter(vocabulary, rules);
  }

  /** Reads a CSV or XLSX stream (recognised by content); the stream is not closed. */
  public CatalogImportResult prepare(InputStream in, String fileName, FormularyTarget target) throws IOException {
    return prepare(reader.read(in, fileName), target);
  }

  public CatalogImportResult prepare(Path file, FormularyTarget target) throws IOException {
    return prepare(reader.read(file), target);
  }

  public CatalogImportResult prepare(CatalogFile file, FormularyTarget target) {
    Objects.requireNonNull(target, "target");
    CatalogValidation validation = validator.validate(file);
    return new CatalogImportResult(validation,
        validation.isValid() ? converter.toTransaction(validation, target) : null);
  }

  public CatalogReader reader() {
    return reader;
  }

  public CatalogValidator validator() {
    return validator;
  }

  public CatalogConverter converter() {
    return converter;
  }
}
