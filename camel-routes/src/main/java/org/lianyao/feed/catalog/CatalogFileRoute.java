package org.lianyao.feed.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports consortium and member formulary files (医联体/成员单位用药目录) dropped into the inbox folder:
 * the same code path as {@code InsurancePlan/$import-catalog} — {@link CatalogImporter} reads,
 * validates and converts the file, {@link CatalogTransactionWriter} writes it all-or-nothing.
 *
 * <ul>
 *   <li>The file name starts with the formulary version ({@link CatalogFileNames}), e.g.
 *       {@code YGT-2025_调整.xlsx}.</li>
 *   <li>Imported: moved to the archive folder, time-stamped.</li>
 *   <li>Rejected (a bad row, an unknown version, a rule on write, an unreadable file): nothing is
 *       written; the file is moved to the error folder and the problem report
 *       ({@code <file>.report.csv}, row, column and Chinese message per problem) is written beside it.</li>
 * </ul>
 * Importing the same file twice changes nothing, so dropping a file again is always safe.
 */
public class CatalogFileRoute extends RouteBuilder {

  public static final String ROUTE_ID = "catalog-file-import";
  /** Exchange header: the time-stamped name the file gets in the archive or error folder. */
  public static final String STAMPED_NAME = "LianyaoCatalogStampedName";
  /** Exchange header: the {@link CatalogWriteOutcome} of an imported file. */
  public static final String OUTCOME = "LianyaoCatalogOutcome";

  private static final Logger log = LoggerFactory.getLogger(CatalogFileRoute.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS");
  /** Spreadsheets and CSV; Excel's lock files (~$…) and hidden files are left alone. */
  private static final String INCLUDE = "(?i)^(?!~\\$|\\.).+\\.(xlsx|xls|csv)$";

  private final CatalogFileRouteProperties properties;
  private final CatalogImporter importer;
  private final CatalogTransactionWriter writer;

  public CatalogFileRoute(CatalogFileRouteProperties properties, CatalogImporter importer,
      CatalogTransactionWriter writer) {
    this.properties = Objects.requireNonNull(properties, "properties");
    this.importer = Objects.requireNonNull(importer, "importer");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void configure() throws IOException {
    Path inbox = folder(properties.inbox());
    Path archive = folder(properties.archive());
    Path error = folder(properties.error());

    // Not handled: the file consumer then rolls back, which is what moves the file to the error
    // folder (moveFailed). Camel's own exhausted-log is off: a rejected file is expected, and it is
    // logged once, below, with its report.
    onException(Exception.class)
        .handled(false)
        .logExhausted(false)
        .process(exchange -> writeReport(exchange, error));

    from("file:" + inbox
        + "?include=RAW(" + INCLUDE + ")"
        + "&readLock=changed"
        + "&readLockMinAge=" + properties.readLockMinAge().toMillis()
        + "&readLockCheckInterval=" + Math.max(100, Math.min(1000, properties.readLockMinAge().toMillis()))
        + "&delay=" + properties.pollDelay().toMillis()
        + "&move=RAW(" + archive + "/${header." + STAMPED_NAME + "})"
        + "&moveFailed=RAW(" + error + "/${header." + STAMPED_NAME + "})")
        .routeId(ROUTE_ID)
        .process(CatalogFileRoute::stamp)
        .process(this::importFile);
  }

  private static Path folder(String configured) throws IOException {
    Path path = Path.of(configured).toAbsolutePath().normalize();
    Files.createDirectories(path);
    return path;
  }

  private static void stamp(Exchange exchange) {
    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    exchange.getIn().setHeader(STAMPED_NAME, CatalogFileNames.stamped(name, LocalDateTime.now().format(STAMP)));
  }

  private void importFile(Exchange exchange) throws IOException {
    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    Path file = exchange.getIn().getBody(File.class).toPath();
    String key = CatalogFileNames.formularyKey(name).orElseThrow(() -> new CatalogFileRejectedException(
        new CatalogImportReport(name, List.of(new CatalogProblem(CatalogProblem.FILE, "", name,
            "文件名须以目录版本编号开头，如“YGT-2025_目录.xlsx”或“H50011200003-2025.csv”，系统据此确定导入到哪个目录版本",
            "the file name must start with the formulary version identifier, e.g. YGT-2025_catalog.xlsx")))));
    FormularyTarget target = FormularyTarget.ofIdentifier(IdentifierSystems.FORMULARY, key);
    CatalogImportResult result = importer.prepare(file, target);
    if (!result.isValid()) {
      throw new CatalogFileRejectedException(result.report());
    }
    CatalogWriteOutcome outcome = writer.write(result, target);
    exchange.getIn().setHeader(OUTCOME, outcome);
    log.info("Catalog file {} imported into {} ({}): {}", name, key, outcome.formulary(), outcome.summary());
  }

  private void writeReport(Exchange exchange, Path errorFolder) throws IOException {
    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    String stamped = exchange.getIn().getHeader(STAMPED_NAME, name, String.class);
    Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    CatalogImportReport report = reportFor(name, e);
    CatalogImportReport.Format format = properties.reportFormat();
    Path target = errorFolder.resolve(CatalogImportReport.reportFileName(stamped, format));
    Files.createDirectories(errorFolder);
    // Written beside and then renamed, so that whoever watches the error folder never reads half a report.
    Path partial = errorFolder.resolve("." + target.getFileName() + ".part");
    Files.write(partial, report.toBytes(format));
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (e instanceof CatalogFileRejectedException || e instanceof CatalogWriteException) {
      log.warn("Catalog file {} rejected with {} problem(s), nothing imported; moved to {} with report {}",
          name, report.problems().size(), errorFolder.resolve(stamped), target.getFileName());
    } else {
      log.error("Catalog file {} failed, nothing imported; moved to {} with report {}", name,
          errorFolder.resolve(stamped), target.getFileName(), e);
    }
  }

  static CatalogImportReport reportFor(String name, Exception e) {
    if (e instanceof CatalogFileRejectedException rejected) {
      return rejected.report();
    }
    if (e instanceof CatalogWriteException refused) {
      return new CatalogImportReport(name, refused.problems());
    }
    String type = e == null ? "unknown" : e.getClass().getSimpleName();
    return new CatalogImportReport(name, List.of(new CatalogProblem(CatalogProblem.FILE, "", "",
        "导入失败（系统错误，未导入任何数据）；请稍后重新放入文件，如仍失败请联系平台管理员",
        "import failed with " + type + (e == null ? "" : ": " + e.getMessage()))));
  }
}
