package org.lianyao.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/conventions.md is canonical for all modules. These tests fail when it and the constants or
 * bundled resources of this module drift apart, in either direction.
 */
class ConventionsTest {

  /** Surefire runs in the module directory; the document sits in the repository root. */
  private static final Path CONVENTIONS = Path.of("..", "docs", "conventions.md");
  private static final Pattern BACKTICK = Pattern.compile("`([^`]+)`");

  private static String doc;
  private static TerminologyResources resources;

  @BeforeAll
  static void load() throws IOException {
    doc = Files.readString(CONVENTIONS, StandardCharsets.UTF_8);
    resources = new TerminologyResources(FhirContext.forR4Cached());
  }

  @Test
  void identifierSystemsMatch() throws IllegalAccessException {
    Set<String> constants = stringConstants(IdentifierSystems.class);
    List<String[]> rows = tableRows(section("## Identifier systems"));
    assertThat(rows).hasSize(14);
    for (String[] row : rows) {
      Matcher m = BACKTICK.matcher(row[1]);
      assertThat(m.find()).as(row[0]).isTrue();
      String system = m.group(1);
      String constant = system.replace("{NHSA institution code}", "");
      assertThat(constants).as(row[0]).contains(constant);
      assertThat(resources.namingSystem(system)).as("NamingSystem for " + system).isPresent();
    }
  }

  @Test
  void nationalCodeSystemsMatch() {
    Map<String, String> expected = Map.of(
        "route", CodeSystems.ROUTE, "dosage form", CodeSystems.DOSAGE_FORM, "frequency", CodeSystems.FREQUENCY);
    String section = section("## Code systems");
    for (var entry : expected.entrySet()) {
      Matcher m = Pattern.compile("- " + entry.getKey() + " [^\n]*`(urn:oid:[0-9.]+)`").matcher(section);
      assertThat(m.find()).as(entry.getKey()).isTrue();
      assertThat(m.group(1)).as(entry.getKey()).isEqualTo(entry.getValue());
      assertThat(resources.codeSystem(m.group(1))).isPresent();
    }
    assertThat(section).contains("(version `" + CodeSystems.DOSAGE_FORM_VERSION + "`)");
  }

  @Test
  void lianyaoCodeSystemsMatchIncludingCodesAndDisplays() {
    List<String[]> rows = tableRows(section("## Code systems"));
    assertThat(rows).hasSize(10);
    for (String[] row : rows) {
      String id = backticked(row[0]).get(0);
      String system = IdentifierSystems.CANONICAL_BASE + "/CodeSystem/" + id;
      assertThat(resources.codeSystem(system)).as(system).isPresent();
      assertThat(resources.valueSet(IdentifierSystems.CANONICAL_BASE + "/ValueSet/" + id)).as(id).isPresent();
      // "`code` 显示名, …" — parenthesised remarks such as "(property `grassroots` …)" are not codes.
      String codes = row[1].replaceAll("\\([^)]*\\)", "");
      Matcher m = Pattern.compile("`([^`]+)`\\s*([^,`…]*)").matcher(codes);
      int count = 0;
      while (m.find()) {
        count++;
        String code = m.group(1);
        String display = m.group(2).strip();
        assertThat(resources.hasConcept(system, code)).as(id + "#" + code).isTrue();
        if (!display.isEmpty()) {
          assertThat(resources.display(system, code)).as(id + "#" + code).contains(display);
        }
      }
      assertThat(count).as(id).isPositive();
      if (!row[1].contains("…")) {
        assertThat(resources.concepts(system)).as(id + ": no codes beyond the document").hasSize(count);
      }
    }
  }

  @Test
  void extensionsMatchExactly() throws IllegalAccessException {
    Set<String> documented = new HashSet<>();
    for (String[] row : tableRows(section("## Extensions"))) {
      documented.add(IdentifierSystems.CANONICAL_BASE + "/StructureDefinition/" + backticked(row[0]).get(0));
    }
    assertThat(documented).hasSize(17);
    Set<String> constants = new HashSet<>();
    for (String value : stringConstants(Extensions.class)) {
      if (value.startsWith("http")) {
        constants.add(value);
      }
    }
    assertThat(constants).isEqualTo(documented);
    // The complex extension's sub-extensions are named in the table too.
    String changeRow = section("## Extensions").lines().filter(l -> l.startsWith("| `formulary-change`")).findFirst().orElseThrow();
    assertThat(backticked(changeRow)).contains(Extensions.FORMULARY_CHANGE_TYPE, Extensions.FORMULARY_CHANGE_EFFECTIVE,
        Extensions.FORMULARY_CHANGE_REASON);
  }

  private static String section(String heading) {
    int start = doc.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  /** Body rows of the first Markdown table in {@code section}, split into trimmed cells. */
  private static List<String[]> tableRows(String section) {
    List<String[]> rows = new ArrayList<>();
    boolean inTable = false;
    int seen = 0;
    for (String line : section.lines().toList()) {
      if (line.startsWith("|")) {
        inTable = true;
        seen++;
        if (seen > 2) { // skip header and separator
          String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|");
          for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
          }
          rows.add(cells);
        }
      } else if (inTable) {
        break;
      }
    }
    return rows;
  }

  private static List<String> backticked(String text) {
    List<String> result = new ArrayList<>();
    Matcher m = BACKTICK.matcher(text);
    while (m.find()) {
      result.add(m.group(1));
    }
    return result;
  }

  private static Set<String> stringConstants(Class<?> type) throws IllegalAccessException {
    Map<String, String> values = new LinkedHashMap<>();
    for (var field : type.getFields()) {
      if (field.getType() == String.class) {
        values.put(field.getName(), (String) field.get(null));
      }
    }
    return new HashSet<>(values.values());
  }
}
