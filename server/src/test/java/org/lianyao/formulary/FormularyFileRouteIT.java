package org.lianyao.formulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.index.FormularyIndex;
import org.springframework.beans.factory.annotation.Autowired;

/** The catalog file route inside the running gateway: inbox → import → archive, or → error + report. */
class FormularyFileRouteIT extends FormularyIntegrationTest {

  @Autowired
  FormularyIndex index;

  @Test
  void aFileDroppedIntoTheInboxIsImportedAndArchived() throws IOException {
    String ident = unique("ROUTE");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    String name = ident + "_药事会2030年第1次会议.csv";

    drop(name, resource(CATALOG_2024));

    Path archived = awaitFile(CATALOG_FOLDERS.resolve("archive"), ident + "_", ".csv");
    assertThat(Files.readAllBytes(archived)).isEqualTo(resource(CATALOG_2024));
    assertThat(index.entries(List.of(id))).hasSize(csvRows(CATALOG_2024).size());
    assertThat(files(CATALOG_FOLDERS.resolve("inbox"))).noneMatch(p -> p.getFileName().toString().startsWith(ident));

    // The same file again: imported again, nothing changes.
    var before = index.entries(List.of(id));
    drop(ident + ".csv", resource(CATALOG_2024));
    awaitFile(CATALOG_FOLDERS.resolve("archive"), ident + ".", ".csv");
    assertThat(index.entries(List.of(id))).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aBadFileGoesToTheErrorFolderWithItsReportAndNothingIsImported() throws IOException {
    String ident = unique("ROUTEBAD");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    String bad = "\uFEFF通用名,剂型,规格,包装,生产企业,医保药品编码,本位码,批准文号,集采,集采批次,基药,医保类别,慢病病种,衔接药品\n"
        + "阿托伐他汀钙片,片剂,20mg,,北京嘉林药业股份有限公司,,,,是,第一批,是,,冠心病,是\n"
        + "格列齐特片,片剂,80mg,,,,,,,,是,,糖尿病,是\n";

    drop(ident + ".csv", bad.getBytes(StandardCharsets.UTF_8));

    Path report = awaitFile(CATALOG_FOLDERS.resolve("error"), ident + ".", ".csv.report.csv");
    String text = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(text).startsWith("\uFEFF行号,列,值,问题说明,English diagnostic").contains("\n3,生产企业,");
    Path failed = report.resolveSibling(report.getFileName().toString().replace(".report.csv", ""));
    assertThat(failed).exists();
    assertThat(index.entries(List.of(id))).isEmpty();
  }

  @Test
  void aFileForAnUnknownVersionIsRefusedWithAReport() throws IOException {
    String ident = unique("NOVERSION");
    drop(ident + ".csv", resource(CATALOG_2024));

    Path report = awaitFile(CATALOG_FOLDERS.resolve("error"), ident + ".", ".csv.report.csv");
    assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("目录版本“" + ident + "”不存在");
  }

  private static void drop(String name, byte[] content) throws IOException {
    Path inbox = CATALOG_FOLDERS.resolve("inbox");
    Files.createDirectories(inbox);
    Path temp = Files.write(CATALOG_FOLDERS.resolve(name + ".part"), content);
    Files.move(temp, inbox.resolve(name));
  }

  private static Path awaitFile(Path folder, String prefix, String suffix) throws IOException {
    await().atMost(Duration.ofSeconds(60)).until(() -> find(folder, prefix, suffix) != null);
    return find(folder, prefix, suffix);
  }

  private static Path find(Path folder, String prefix, String suffix) throws IOException {
    return files(folder).stream().filter(p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(suffix) && (suffix.endsWith(".report.csv") || !n.endsWith(".report.csv"));
    }).findFirst().orElse(null);
  }

  private static List<Path> files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.toList();
    }
  }
}
