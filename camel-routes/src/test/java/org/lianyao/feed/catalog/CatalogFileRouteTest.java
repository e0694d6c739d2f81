package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lianyao.feed.catalog.CatalogTestSupport.TERMINOLOGY;
import static org.lianyao.feed.catalog.CatalogTestSupport.demoCatalog;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * The file route with the real importer on real folders. The writer here records what it is handed
 * (the server's writer, on HAPI, is exercised by the server's integration tests); it can be told to
 * refuse, as the server does for an unknown formulary version.
 */
class CatalogFileRouteTest extends CamelTestSupport {

  @TempDir
  Path root;

  private final RecordingWriter writer = new RecordingWriter();

  private Path inbox() {
    return root.resolve("inbox");
  }

  private Path archive() {
    return root.resolve("archive");
  }

  private Path error() {
    return root.resolve("error");
  }

  @Override
  protected RoutesBuilder createRouteBuilder() {
    CatalogFileRouteProperties properties = new CatalogFileRouteProperties(true, inbox().toString(),
        archive().toString(), error().toString(), Duration.ofMillis(200), Duration.ofMillis(200),
        CatalogImportReport.Format.CSV);
    return new CatalogFileRoute(properties, new CatalogImporter(TERMINOLOGY), writer);
  }

  @Test
  void validFileIsHandedToTheWriterAndArchived() throws IOException {
    drop("YGT-2025_药事会调整.csv", demoCatalog("catalog-2025.csv"));

    Path archived = awaitSingleFile(archive());
    assertThat(archived.getFileName().toString()).startsWith("YGT-2025_药事会调整.").endsWith(".csv");
    assertThat(Files.readAllBytes(archived)).isEqualTo(demoCatalog("catalog-2025.csv"));
    assertThat(files(inbox())).isEmpty();
    assertThat(files(error())).isEmpty();

    assertThat(writer.calls).hasSize(1);
    Call call = writer.calls.get(0);
    assertThat(call.target().key()).isEqualTo("YGT-2025");
    assertThat(call.target().reference())
        .isEqualTo("InsurancePlan?identifier=" + IdentifierSystems.FORMULARY + "|YGT-2025");
    long csvRows = new String(demoCatalog("catalog-2025.csv"), StandardCharsets.UTF_8).lines().count() - 1;
    assertThat(call.prepared().itemCount()).isEqualTo(csvRows);
    Bundle transaction = call.prepared().transaction();
    assertThat(transaction.getEntry()).hasSize((int) (2 * csvRows));
    assertThat(transaction.getEntry()).map(Bundle.BundleEntryComponent::getResource)
        .filteredOn(Basic.class::isInstance)
        .allSatisfy(r -> assertThat(((Basic) r).getExtensionByUrl(Extensions.FORMULARY_REFERENCE)
            .getValue().castToReference(((Basic) r).getExtensionByUrl(Extensions.FORMULARY_REFERENCE).getValue())
            .getReference()).isEqualTo(call.target().reference()));
  }

  @Test
  void fileWithBadRowsGoesToTheErrorFolderWithItsReportAndNothingIsWritten() throws IOException {
    drop("YGT-2025.csv", Files.readAllBytes(fixture("bad-rows.csv")));

    Path report = awaitFile(error(), ".report.csv");
    Path failed = awaitFile(error(), "YGT-2025.", ".csv");
    assertThat(report.getFileName().toString()).isEqualTo(failed.getFileName() + ".report.csv");
    String text = new String(Files.readAllBytes(report), StandardCharsets.UTF_8);
    assertThat(text).startsWith("\uFEFF行号,列,值,问题说明");
    // bad-rows.csv: row 3 lacks the manufacturer, row 4 has an unknown dosage form (see CatalogValidatorTest)
    assertThat(text).contains("\n3,生产企业,").contains("\n4,剂型,片子,");
    assertThat(writer.calls).isEmpty();
    assertThat(files(inbox())).isEmpty();
    assertThat(files(archive())).isEmpty();
  }

  @Test
  void refusalOfTheStoreIsReportedBesideTheFile() throws IOException {
    writer.refuse = new CatalogWriteException("目录版本 YGT-2099 不存在", "no formulary version YGT-2099");
    drop("YGT-2099.csv", demoCatalog("catalog-2024.csv"));

    Path report = awaitFile(error(), ".report.csv");
    assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("文件,,,目录版本 YGT-2099 不存在");
    assertThat(writer.calls).hasSize(1);
    assertThat(files(archive())).isEmpty();
  }

  @Test
  void fileNameWithoutFormularyVersionIsRejected() throws IOException {
    drop("目录.csv", demoCatalog("catalog-2024.csv"));

    Path report = awaitFile(error(), ".report.csv");
    assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("文件名须以目录版本编号开头");
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void excelLockFilesAreLeftAlone() throws IOException, InterruptedException {
    drop("~$YGT-2025.xlsx", new byte[] {1, 2, 3});
    drop("YGT-2024.csv", demoCatalog("catalog-2024.csv"));

    awaitSingleFile(archive());
    assertThat(files(inbox())).map(p -> p.getFileName().toString()).containsExactly("~$YGT-2025.xlsx");
  }

  @Test
  void fileNamesNameTheirFormularyVersion() {
    assertThat(CatalogFileNames.formularyKey("YGT-2025.xlsx")).contains("YGT-2025");
    assertThat(CatalogFileNames.formularyKey("YGT-2025_第二次调整.xlsx")).contains("YGT-2025");
    assertThat(CatalogFileNames.formularyKey("H50011200003-2025 目录.csv")).contains("H50011200003-2025");
    assertThat(CatalogFileNames.formularyKey("H50011200003-2025（调整）.csv")).contains("H50011200003-2025");
    assertThat(CatalogFileNames.formularyKey("ＹＧＴ-2025.csv")).contains("YGT-2025");
    assertThat(CatalogFileNames.formularyKey("YGT-2025.20250401-101500123.xlsx")).contains("YGT-2025");
    assertThat(CatalogFileNames.formularyKey("目录.csv")).isEmpty();
    assertThat(CatalogFileNames.formularyKey("_x.csv")).isEmpty();
    assertThat(CatalogFileNames.stamped("YGT-2025.xlsx", "20250401-101500123"))
        .isEqualTo("YGT-2025.20250401-101500123.xlsx");
  }

  private void drop(String name, byte[] content) throws IOException {
    Files.createDirectories(inbox());
    // Written beside the inbox and moved in, as a careful sender does; the read lock covers the rest.
    Path temp = Files.write(root.resolve(name + ".part"), content);
    Files.move(temp, inbox().resolve(name));
  }

  private static List<Path> files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.filter(Files::isRegularFile).toList();
    }
  }

  private static Path awaitSingleFile(Path folder) {
    await().atMost(Duration.ofSeconds(20)).until(() -> files(folder).size() == 1);
    try {
      return files(folder).get(0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path awaitFile(Path folder, String suffix) {
    return awaitFile(folder, "", suffix);
  }

  private static Path awaitFile(Path folder, String prefix, String suffix) {
    await().atMost(Duration.ofSeconds(20)).until(() -> files(folder).stream()
        .anyMatch(p -> matches(p, prefix, suffix)));
    try {
      return files(folder).stream().filter(p -> matches(p, prefix, suffix)).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean matches(Path p, String prefix, String suffix) {
    String name = p.getFileName().toString();
    return name.startsWith(prefix) && name.endsWith(suffix) && (suffix.endsWith(".report.csv") || !name.endsWith(".report.csv"));
  }

  record Call(CatalogImportResult prepared, FormularyTarget target) {}

  static final class RecordingWriter implements CatalogTransactionWriter {
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile CatalogWriteException refuse;

    @Override
    public CatalogWriteOutcome write(CatalogImportResult prepared, FormularyTarget target) {
      calls.add(new Call(prepared, target));
      if (refuse != null) {
        throw refuse;
      }
      return new CatalogWriteOutcome("InsurancePlan/1", prepared.itemCount(), prepared.itemCount() * 2, 0, 0, 0);
    }
  }
}
