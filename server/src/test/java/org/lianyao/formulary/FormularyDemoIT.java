package org.lianyao.formulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The formulary operations on the demo consortium. Every expected number is computed here from
 * the source files — the consortium catalogs and the member formularies as CSV — never from the
 * server's own code.
 */
class FormularyDemoIT extends FormularyIntegrationTest {

  private static final List<String> MEMBERS = List.of("H50011200001", "H50011200002", "H50011200003", "H50011200004");
  private static final List<String> FLAGS = List.of("集采", "集采批次", "基药", "医保类别", "慢病病种", "衔接药品", "一品两规豁免");

  @Autowired
  FormularyDemoLoader demoLoader;

  // ----------------------------------------------------------------------------------- $diff

  @Test
  void diffBetween2024And2025ListsWhatTheCatalogFilesChanged() {
    Map<String, Map<String, String>> older = byProduct(csvRows(CATALOG_2024));
    Map<String, Map<String, String>> newer = byProduct(active(csvRows(CATALOG_2025)));
    Set<String> introduced = new HashSet<>(newer.keySet());
    introduced.removeAll(older.keySet());
    Set<String> removed = new HashSet<>(older.keySet());
    removed.removeAll(newer.keySet());
    // A product-spec that only changed manufacturer (通用名 + 剂型 + 规格 left once on each side).
    Map<String, List<String>> removedBySpec = removed.stream().collect(Collectors.groupingBy(FormularyDemoIT::spec));
    Map<String, List<String>> introducedBySpec = introduced.stream().collect(Collectors.groupingBy(FormularyDemoIT::spec));
    Map<String, String> manufacturerChanges = new TreeMap<>();
    for (var e : removedBySpec.entrySet()) {
      List<String> other = introducedBySpec.get(e.getKey());
      if (e.getValue().size() == 1 && other != null && other.size() == 1) {
        manufacturerChanges.put(other.get(0), e.getValue().get(0));
        removed.remove(e.getValue().get(0));
        introduced.remove(other.get(0));
      }
    }
    Set<String> changed = new HashSet<>(manufacturerChanges.keySet());
    for (String key : newer.keySet()) {
      if (older.containsKey(key) && FLAGS.stream().anyMatch(f -> !older.get(key).get(f).equals(newer.get(key).get(f)))) {
        changed.add(key);
      }
    }

    Parameters diff = committee().operation().onType("InsurancePlan").named("$diff")
        .withParameter(Parameters.class, "from", new StringType("YGT-2024"))
        .andParameter("to", new StringType("YGT-2025")).useHttpGet().execute();

    assertThat(productsOf(diff, "introduced")).containsExactlyInAnyOrderElementsOf(names(introduced));
    assertThat(productsOf(diff, "removed")).containsExactlyInAnyOrderElementsOf(names(removed));
    assertThat(productsOf(diff, "changed")).containsExactlyInAnyOrderElementsOf(names(changed));
    assertThat(integer(diff, "introducedCount")).isEqualTo(introduced.size());
    assertThat(integer(diff, "removedCount")).isEqualTo(removed.size());
    assertThat(integer(diff, "changedCount")).isEqualTo(changed.size());
    assertThat(integer(diff, "unchangedCount")).isEqualTo(newer.size() - introduced.size() - changed.size());
    // The manufacturer changes name the old and the new manufacturer.
    for (var e : manufacturerChanges.entrySet()) {
      ParametersParameterComponent part = parts(diff, "changed").stream()
          .filter(p -> name(p).equals(name(e.getKey()))).findFirst().orElseThrow();
      ParametersParameterComponent field = part.getPart().stream().filter(p -> p.getName().equals("field"))
          .filter(f -> sub(f, "name").equals("manufacturer")).findFirst().orElseThrow();
      assertThat(sub(field, "label")).isEqualTo("生产企业");
      assertThat(sub(field, "from")).isEqualTo(older.get(e.getValue()).get("生产企业"));
      assertThat(sub(field, "to")).isEqualTo(newer.get(e.getKey()).get("生产企业"));
    }
  }

  @Test
  void diffAsCsvForOfficials() {
    HttpResponse<byte[]> csv = get("InsurancePlan/$diff?from=YGT-2024&to=YGT-2025&_format=csv", "committee");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("\uFEFF变化类型,通用名,剂型,规格,包装,生产企业,变更内容,原值,新值");
    assertThat(text).contains("\n引进,").contains("\n调出,").contains("\n变更,");
  }

  // ------------------------------------------------------------------------------- $coverage

  @Test
  void coverageGivesAMeasureReportPerMemberWithRateAndPassFail() {
    List<Map<String, String>> consortium = active(csvRows(CATALOG_2025));
    Set<String> linkage = consortium.stream().filter(r -> r.get("衔接药品").equals("是")).map(FormularyDemoIT::spec4)
        .collect(Collectors.toSet());
    Map<String, Integer> stocked = new LinkedHashMap<>();
    for (String code : MEMBERS) {
      stocked.put(code, (int) csvRows(memberFile(code)).stream().map(FormularyDemoIT::spec4)
          .filter(linkage::contains).distinct().count());
    }
    double grassrootsAverage = MEMBERS.stream().skip(1).mapToInt(stocked::get).average().orElseThrow();

    String id = version("YGT-2025").getIdElement().getIdPart();
    Bundle bundle = committee().operation().onInstance("InsurancePlan/" + id).named("$coverage")
        .withNoParameters(Parameters.class).returnResourceType(Bundle.class).useHttpGet().execute();

    List<MeasureReport> reports = bundle.getEntry().stream().map(e -> (MeasureReport) e.getResource()).toList();
    assertThat(reports).hasSize(MEMBERS.size() + 1);
    Map<String, String> orgToCode = new HashMap<>();
    for (String code : MEMBERS) {
      orgToCode.put("Organization/" + organizationId(IdentifierSystems.NHSA_INSTITUTION_CODE, code), code);
    }
    for (MeasureReport mr : reports.subList(0, MEMBERS.size())) {
      String code = orgToCode.get(mr.getReporter().getReference());
      assertThat(code).as(mr.getReporter().getReference()).isNotNull();
      MeasureReport.MeasureReportGroupComponent group = mr.getGroupFirstRep();
      assertThat(population(group, "denominator")).isEqualTo(linkage.size());
      assertThat(population(group, "numerator")).as(code).isEqualTo(stocked.get(code));
      BigDecimal rate = BigDecimal.valueOf(stocked.get(code) * 100.0 / linkage.size()).setScale(2, RoundingMode.HALF_UP);
      assertThat(group.getMeasureScore().getValue()).as(code).isEqualByComparingTo(rate);
      assertThat(group.getMeasureScore().getUnit()).isEqualTo("%");
      boolean lead = code.equals("H50011200001"); // 三级医院; the three others are grassroots
      boolean pass = rate.compareTo(BigDecimal.valueOf(lead ? 90 : 60)) >= 0;
      Extension assessment = mr.getExtensionByUrl(FormularyFhir.COVERAGE_ASSESSMENT);
      assertThat(((BooleanType) assessment.getExtensionByUrl("pass").getValue()).booleanValue()).as(code).isEqualTo(pass);
      boolean low = !lead && stocked.get(code) < grassrootsAverage * 0.30;
      assertThat(((BooleanType) assessment.getExtensionByUrl("lowVariety").getValue()).booleanValue()).as(code).isEqualTo(low);
    }
    // The demo is built to show every case: a lead that passes, a grassroots member below 60 %,
    // and one flagged low-variety.
    assertThat(reports.subList(0, MEMBERS.size())).anySatisfy(mr -> assertThat(
        ((BooleanType) mr.getExtensionByUrl(FormularyFhir.COVERAGE_ASSESSMENT).getExtensionByUrl("lowVariety").getValue())
            .booleanValue()).isTrue());
    MeasureReport summary = reports.get(MEMBERS.size());
    Extension s = summary.getExtensionByUrl(FormularyFhir.COVERAGE_SUMMARY);
    assertThat(((IntegerType) s.getExtensionByUrl("institutions").getValue()).getValue()).isEqualTo(MEMBERS.size());
    assertThat(((DecimalType) s.getExtensionByUrl("grassrootsAverage").getValue()).getValue())
        .isEqualByComparingTo(BigDecimal.valueOf(grassrootsAverage).setScale(2, RoundingMode.HALF_UP));
  }

  @Test
  void coverageAsCsvAndXlsxHasChineseHeaders() throws Exception {
    String id = version("YGT-2025").getIdElement().getIdPart();
    HttpResponse<byte[]> csv = get("InsurancePlan/" + id + "/$coverage", "committee", "Accept", "text/csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("\uFEFF机构编码,机构名称,机构级别,是否基层,成员单位目录,衔接药品数,已配备数,配备率(%),达标线(%),是否达标,品种偏少");
    assertThat(text.lines().count()).isEqualTo(1 + MEMBERS.size());
    assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains("filename*=UTF-8''");

    HttpResponse<byte[]> xlsx = get("InsurancePlan/" + id + "/$coverage?_format=xlsx", "committee");
    assertThat(xlsx.statusCode()).isEqualTo(200);
    assertThat(xlsx.headers().firstValue("Content-Type").orElse("")).startsWith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
      var header = wb.getSheetAt(0).getRow(0);
      assertThat(header.getCell(0).getStringCellValue()).isEqualTo("机构编码");
      assertThat(header.getCell(7).getStringCellValue()).isEqualTo("配备率(%)");
      assertThat(wb.getSheetAt(0).getLastRowNum()).isEqualTo(MEMBERS.size());
    }
  }

  // ----------------------------------------------------------------------------- $statistics

  @Test
  void statisticsMatchTheCatalogFile() {
    List<Map<String, String>> listed = active(csvRows(CATALOG_2025));
    String id = version("YGT-2025").getIdElement().getIdPart();
    Parameters stats = committee().operation().onInstance("InsurancePlan/" + id).named("$statistics")
        .withNoParameters(Parameters.class).useHttpGet().execute();

    assertThat(integer(stats, "total")).isEqualTo(listed.size());
    assertThat(integer(stats, "removalRecords")).isEqualTo(csvRows(CATALOG_2025).size() - listed.size());
    assertThat(count(stats, "vbp", "true")).isEqualTo(
        listed.stream().filter(r -> r.get("集采").equals("是") || (r.get("集采").isEmpty() && !r.get("集采批次").isEmpty())).count());
    assertThat(count(stats, "essential-medicine", "true")).isEqualTo(listed.stream().filter(r -> r.get("基药").equals("是")).count());
    assertThat(count(stats, "insurance-class", "A")).isEqualTo(listed.stream().filter(r -> r.get("医保类别").startsWith("甲")).count());
    assertThat(count(stats, "insurance-class", "B")).isEqualTo(listed.stream().filter(r -> r.get("医保类别").startsWith("乙")).count());
    assertThat(count(stats, "linkage-drug", "true")).isEqualTo(listed.stream().filter(r -> r.get("衔接药品").equals("是")).count());
    Map<String, Long> groups = listed.stream().flatMap(r -> List.of(r.get("慢病病种").split("、")).stream())
        .filter(g -> !g.isEmpty()).collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    Map<String, Long> reported = new TreeMap<>();
    for (ParametersParameterComponent c : parts(stats, "count")) {
      if (sub(c, "dimension").equals("chronic-disease-group")) {
        reported.put(sub(c, "display"), (long) ((IntegerType) part(c, "count").getValue()).getValue());
      }
    }
    assertThat(reported).isEqualTo(groups);
    Map<String, Long> changes = csvRows(CATALOG_2025).stream().filter(r -> !r.get("变更类型").isEmpty())
        .collect(Collectors.groupingBy(r -> r.get("变更类型"), Collectors.counting()));
    assertThat(count(stats, "change-type", "introduce")).isEqualTo(changes.getOrDefault("引进", 0L));
    assertThat(count(stats, "change-type", "remove")).isEqualTo(changes.getOrDefault("调出", 0L));
    assertThat(count(stats, "change-type", "change")).isEqualTo(changes.getOrDefault("变更", 0L));
  }

  // -------------------------------------------------------------------------- $two-spec-check

  @Test
  void twoSpecCheckMatchesTheMemberFormularies() {
    // 一品两规 from the files: per member, products of one 通用名 in oral (or injectable) forms;
    // more than two is a violation unless the products treat hypertension, diabetes or COPD.
    Set<String> oral = Set.of("片剂", "控释片", "缓释片", "胶囊", "肠溶片", "滴丸", "软胶囊", "颗粒剂", "散剂");
    Set<String> injectable = Set.of("注射液");
    Set<String> exemptGroups = Set.of("高血压", "糖尿病", "慢阻肺");
    Map<String, Integer> expectedViolations = new TreeMap<>();
    Map<String, Integer> expectedExempted = new TreeMap<>();
    for (String code : MEMBERS) {
      Map<String, List<Map<String, String>>> groups = new HashMap<>();
      for (Map<String, String> r : csvRows(memberFile(code))) {
        String route = oral.contains(r.get("剂型")) ? "oral" : injectable.contains(r.get("剂型")) ? "injectable" : null;
        if (route != null) {
          groups.computeIfAbsent(r.get("通用名") + "|" + route, k -> new ArrayList<>()).add(r);
        }
      }
      for (List<Map<String, String>> g : groups.values()) {
        if (g.size() > 2) {
          boolean exempt = g.stream().allMatch(r -> List.of(r.get("慢病病种").split("、")).stream().anyMatch(exemptGroups::contains));
          (exempt ? expectedExempted : expectedViolations).merge(code, 1, Integer::sum);
        }
      }
    }
    String id = version("YGT-2025").getIdElement().getIdPart();
    Parameters result = committee().operation().onInstance("InsurancePlan/" + id).named("$two-spec-check")
        .withNoParameters(Parameters.class).useHttpGet().execute();

    assertThat(integer(result, "institutions")).isEqualTo(MEMBERS.size());
    assertThat(integer(result, "violations")).isEqualTo(expectedViolations.values().stream().mapToInt(i -> i).sum());
    for (ParametersParameterComponent inst : parts(result, "institution")) {
      String code = sub(inst, "institutionCode");
      assertThat(inst.getPart().stream().filter(p -> p.getName().equals("violation")).count()).as(code)
          .isEqualTo(expectedViolations.getOrDefault(code, 0).longValue());
      assertThat(inst.getPart().stream().filter(p -> p.getName().equals("exempted")).count()).as(code)
          .isEqualTo(expectedExempted.getOrDefault(code, 0).longValue());
    }
  }

  // --------------------------------------------------------------------------- where-stocked

  @Test
  void whereStockedNamesTheMembersWhoseFormularyListsTheProduct() {
    String generic = "阿卡波糖片";
    Set<String> expected = MEMBERS.stream()
        .filter(code -> csvRows(memberFile(code)).stream().anyMatch(r -> r.get("通用名").equals(generic)))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(expected).isNotEmpty().hasSizeLessThan(MEMBERS.size());

    // Within the 2025 version: other tests add member formularies of other versions.
    Parameters byName = member("H50011200004").operation().onType("InsurancePlan").named("$where-stocked")
        .withParameter(Parameters.class, "generic-name", new StringType(generic))
        .andParameter("formulary", new StringType("YGT-2025")).useHttpGet().execute();
    assertThat(parts(byName, "stocked").stream().map(p -> sub(p, "institutionCode")).collect(Collectors.toSet()))
        .isEqualTo(expected);
    assertThat(integer(byName, "institutionCount")).isEqualTo(expected.size());

    // Per Medication: the Bayer product only.
    String bayer = parts(byName, "stocked").stream().map(p -> (Reference) part(p, "medication").getValue())
        .filter(r -> r.getDisplay().contains("拜耳")).map(Reference::getReference).findFirst().orElseThrow();
    Set<String> expectedBayer = MEMBERS.stream().filter(code -> csvRows(memberFile(code)).stream()
        .anyMatch(r -> r.get("通用名").equals(generic) && r.get("生产企业").startsWith("拜耳"))).collect(Collectors.toSet());
    Parameters byMedication = member("H50011200004").operation().onInstance(bayer).named("$where-stocked")
        .withParameter(Parameters.class, "formulary", new StringType("YGT-2025")).useHttpGet().execute();
    assertThat(parts(byMedication, "stocked").stream().map(p -> sub(p, "institutionCode")).collect(Collectors.toSet()))
        .isEqualTo(expectedBayer);
  }

  // ---------------------------------------------------------------------------- idempotence

  @Test
  void loadingTheDemoAgainChangesNothing() throws Exception {
    String id = version("YGT-2025").getIdElement().getIdPart();
    Map<String, String> before = itemVersions(id);
    assertThat(before).hasSize(csvRows(CATALOG_2025).size());

    demoLoader.load();

    assertThat(itemVersions(id)).isEqualTo(before);
  }

  private Map<String, String> itemVersions(String formularyId) {
    Bundle items = committee().search().forResource(Basic.class)
        .where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("formulary").hasId("InsurancePlan/" + formularyId))
        .count(500).returnBundle(Bundle.class).execute();
    Map<String, String> versions = new TreeMap<>();
    for (Bundle.BundleEntryComponent e : items.getEntry()) {
      versions.put(e.getResource().getIdElement().getIdPart(), e.getResource().getMeta().getVersionId());
    }
    return versions;
  }

  // ---------------------------------------------------------------------------------- helpers

  private static List<Map<String, String>> active(List<Map<String, String>> rows) {
    return rows.stream().filter(r -> !r.get("变更类型").equals("调出")).toList();
  }

  private static Map<String, Map<String, String>> byProduct(List<Map<String, String>> rows) {
    Map<String, Map<String, String>> map = new LinkedHashMap<>();
    rows.forEach(r -> map.put(String.join("|", r.get("通用名"), r.get("剂型"), r.get("规格"), r.get("包装"), r.get("生产企业")), r));
    return map;
  }

  /** 通用名|剂型|规格 of a product key. */
  private static String spec(String productKey) {
    String[] p = productKey.split("\\|", -1);
    return p[0] + "|" + p[1] + "|" + p[2];
  }

  /** 通用名|剂型|规格|生产企业: the product-spec a member formulary must match. */
  private static String spec4(Map<String, String> r) {
    return String.join("|", r.get("通用名"), r.get("剂型"), r.get("规格"), r.get("生产企业"));
  }

  /** 通用名 + 生产企业 of product keys, as the operation shows them. */
  private static List<String> names(Set<String> productKeys) {
    return productKeys.stream().map(FormularyDemoIT::name).toList();
  }

  private static String name(String productKey) {
    String[] p = productKey.split("\\|", -1);
    return p[0] + "|" + p[4];
  }

  private static String name(ParametersParameterComponent p) {
    return sub(p, "genericName") + "|" + sub(p, "manufacturer");
  }

  private static List<String> productsOf(Parameters p, String name) {
    return parts(p, name).stream().map(FormularyDemoIT::name).toList();
  }

  private static List<ParametersParameterComponent> parts(Parameters p, String name) {
    return p.getParameter().stream().filter(x -> x.getName().equals(name)).toList();
  }

  private static ParametersParameterComponent part(ParametersParameterComponent p, String name) {
    return p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no part " + name));
  }

  private static String sub(ParametersParameterComponent p, String name) {
    return part(p, name).getValue().primitiveValue();
  }

  private static int integer(Parameters p, String name) {
    return ((IntegerType) p.getParameter(name).getValue()).getValue();
  }

  private static long count(Parameters p, String dimension, String code) {
    return parts(p, "count").stream().filter(c -> sub(c, "dimension").equals(dimension) && sub(c, "code").equals(code))
        .mapToLong(c -> ((IntegerType) part(c, "count").getValue()).getValue()).findFirst().orElse(0);
  }

  private static int population(MeasureReport.MeasureReportGroupComponent g, String code) {
    return g.getPopulation().stream().filter(p -> p.getCode().getCodingFirstRep().getCode().equals(code))
        .findFirst().orElseThrow().getCount();
  }
}
