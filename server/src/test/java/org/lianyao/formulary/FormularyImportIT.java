package org.lianyao.formulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.index.FormularyIndex;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.beans.factory.annotation.Autowired;

/** Catalog imports, the rules on write and new versions, on the running gateway. */
class FormularyImportIT extends FormularyIntegrationTest {

  private static final List<String> HEADER = List.of("通用名", "剂型", "规格", "包装", "生产企业", "医保药品编码", "本位码",
      "批准文号", "集采", "集采批次", "基药", "医保类别", "慢病病种", "衔接药品");

  @Autowired
  FormularyIndex index;

  // --------------------------------------------------------------------------------- imports

  @Test
  void csvImportsAndTheSameFileAgainChangesNothing() {
    String ident = unique("CSV");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    byte[] file = resource(CATALOG_2024);
    int rows = csvRows(CATALOG_2024).size();

    Parameters first = importRaw(ident, "catalog-2024.csv", "text/csv", file);
    assertThat(integer(first, "items")).isEqualTo(rows);
    assertThat(integer(first, "created")).isEqualTo(rows); // the Medications exist since the demo
    Map<String, String> items = versions(id);
    assertThat(items).hasSize(rows);
    Map<String, String> medications = medicationVersions(id);

    Parameters second = importRaw(ident, "catalog-2024.csv", "text/csv", file);
    assertThat(integer(second, "created")).isZero();
    assertThat(integer(second, "updated")).isZero();
    assertThat(integer(second, "removed")).isZero();
    assertThat(integer(second, "unchanged")).isEqualTo(2 * rows);
    assertThat(versions(id)).isEqualTo(items);
    assertThat(medicationVersions(id)).isEqualTo(medications);
  }

  @Test
  void xlsxImportsAsMultipartUpload() throws Exception {
    String ident = unique("XLSX");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    List<Map<String, String>> rows = csvRows(CATALOG_2025);
    String boundary = "----lianyao" + System.nanoTime();
    byte[] body = multipart(boundary, Map.of("formulary", ident), "医联体目录2025.xlsx", xlsx(rows));

    HttpResponse<byte[]> response = http("POST", "InsurancePlan/$import-catalog", "committee",
        "multipart/form-data; boundary=" + boundary, body);

    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    Parameters result = fhirContext.newJsonParser().parseResource(Parameters.class, new String(response.body(), StandardCharsets.UTF_8));
    assertThat(integer(result, "items")).isEqualTo(rows.size());
    assertThat(versions(id)).hasSize(rows.size());
    // 调出 rows are items too: the record of the removal, with its reason.
    long removals = rows.stream().filter(r -> r.get("变更类型").equals("调出")).count();
    assertThat(index.entries(List.of(id)).stream().filter(e -> !e.active()).count()).isEqualTo(removals);
  }

  @Test
  void fileAsBinaryInParameters() {
    String ident = unique("BIN");
    createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    byte[] file = csv(HEADER, List.of(row("阿托伐他汀钙片", "片剂", "20mg", "20mg×7片/盒", "北京嘉林药业股份有限公司", "是", "第一批")));
    Parameters in = new Parameters();
    Binary binary = new Binary();
    binary.setContentType("text/csv");
    binary.setContent(file);
    in.addParameter().setName("file").setResource(binary);
    in.addParameter("fileName", "one.csv");
    in.addParameter("formulary", ident);

    Parameters out = committee().operation().onType("InsurancePlan").named("$import-catalog")
        .withParameters(in).execute();

    assertThat(integer(out, "items")).isEqualTo(1);
    assertThat(integer(out, "created")).isEqualTo(1);
  }

  @Test
  void aBadRowImportsNothingAndIsReportedWithRowAndColumn() {
    String ident = unique("BAD");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    byte[] file = csv(HEADER, List.of(
        row("阿托伐他汀钙片", "片剂", "20mg", "", "北京嘉林药业股份有限公司", "是", "第一批"),
        row("格列齐特片", "片子", "80mg", "", "浙江京新药业股份有限公司", "", ""),
        row("苯磺酸氨氯地平片", "片剂", "5mg", "", "浙江京新药业股份有限公司", "是", "第一批")));

    HttpResponse<byte[]> response = http("POST",
        "InsurancePlan/$import-catalog?formulary=" + enc(ident) + "&fileName=bad.csv", "committee", "text/csv", file);

    assertThat(response.statusCode()).isEqualTo(422);
    OperationOutcome oo = fhirContext.newJsonParser().parseResource(OperationOutcome.class,
        new String(response.body(), StandardCharsets.UTF_8));
    assertThat(oo.getIssue()).anySatisfy(i -> {
      assertThat(i.getDetails().getText()).startsWith("第3行【剂型】").contains("片子");
      assertThat(i.getDiagnostics()).startsWith("row 3, column 剂型");
    });
    assertThat(oo.getIssueFirstRep().getDetails().getText()).contains("未导入任何数据");
    assertThat(index.entries(List.of(id))).isEmpty();
  }

  @Test
  void reimportRemovesTheItemsTheFileNoLongerLists() {
    String ident = unique("RE");
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    List<String> a = row("阿托伐他汀钙片", "片剂", "20mg", "20mg×7片/盒", "北京嘉林药业股份有限公司", "是", "第一批");
    List<String> b = row("恩替卡韦片", "片剂", "0.5mg", "", "正大天晴药业集团股份有限公司", "是", "第一批");
    importRaw(ident, "v1.csv", "text/csv", csv(HEADER, List.of(a, b)));
    Map<String, String> before = versions(id);
    assertThat(before).hasSize(2);

    Parameters second = importRaw(ident, "v2.csv", "text/csv", csv(HEADER, List.of(a)));

    assertThat(integer(second, "removed")).isEqualTo(1);
    Map<String, String> after = versions(id);
    assertThat(after).hasSize(1);
    String gone = before.keySet().stream().filter(k -> !after.containsKey(k)).findFirst().orElseThrow();
    assertThatThrownBy(() -> committee().read().resource(Basic.class).withId(gone).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceGoneException.class);
  }

  @Test
  void templateIsXlsxByDefaultAndCsvOnRequest() throws Exception {
    HttpResponse<byte[]> xlsx = get("InsurancePlan/$catalog-template", "H50011200002");
    assertThat(xlsx.statusCode()).isEqualTo(200);
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
      Row header = wb.getSheet("目录").getRow(0);
      assertThat(header.getCell(1).getStringCellValue()).isEqualTo("通用名");
      assertThat(wb.getSheet("说明")).isNotNull();
    }
    HttpResponse<byte[]> csv = get("InsurancePlan/$catalog-template?_format=csv", "committee");
    assertThat(new String(csv.body(), StandardCharsets.UTF_8)).startsWith("\uFEFF序号,通用名,剂型,规格,包装,生产企业");
  }

  // ------------------------------------------------------------------------ rules on write

  @Test
  void aMemberFormularyItemOutsideTheConsortiumVersionIs422() {
    String memberId = version("H50011200004-2025").getIdElement().getIdPart();
    // The originator atorvastatin left the 2025 catalog (调出): the village clinic may not list it.
    String removed = medication("阿托伐他汀钙片", "辉瑞制药有限公司");
    String listed = medication("阿托伐他汀钙片", "北京嘉林药业股份有限公司");
    long indexedBefore = index.entries(List.of(memberId)).size();

    assertThatThrownBy(() -> member("H50011200004").create().resource(item(memberId, removed)).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
          OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
          assertThat(oo.getIssueFirstRep().getDetails().getText())
              .contains("阿托伐他汀钙片 20mg（辉瑞制药有限公司）", "示例区医共体慢病用药衔接目录（2025年版）");
          assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("not a product-spec of consortium version");
        });
    // Rolled back with the write: the index did not keep the refused item.
    assertThat(index.entries(List.of(memberId))).hasSize((int) indexedBefore);

    var created = member("H50011200004").create().resource(item(memberId, listed)).execute();
    assertThat(created.getCreated()).isTrue();
    member("H50011200004").delete().resourceById(created.getId().toUnqualifiedVersionless()).execute();
  }

  @Test
  void aMemberFileWithARowOutsideTheConsortiumVersionIsRefusedWithTheRow() {
    String consortium = unique("MC");
    String consortiumId = createConsortiumVersion(consortium, "2030-01-01", "2030-12-31");
    List<String> inCatalog = row("恩替卡韦片", "片剂", "0.5mg", "", "正大天晴药业集团股份有限公司", "是", "第一批");
    importRaw(consortium, "c.csv", "text/csv", csv(HEADER, List.of(inCatalog)));
    String memberIdent = unique("MM");
    String memberId = createMemberFormulary(memberIdent, "H50011200003", consortiumId);

    HttpResponse<byte[]> response = http("POST",
        "InsurancePlan/$import-catalog?formulary=" + enc(memberIdent) + "&fileName=m.csv", "committee", "text/csv",
        csv(HEADER, List.of(inCatalog, row("蒙脱石散", "散剂", "3g", "", "先声药业有限公司", "是", "第一批"))));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("第3行").contains("蒙脱石散 3g（先声药业有限公司）");
    assertThat(index.entries(List.of(memberId))).isEmpty();
  }

  @Test
  void aConsortiumVersionLongerThanAYearIs422() {
    org.hl7.fhir.r4.model.InsurancePlan eighteenMonths = plan(unique("LONG"), FormularyKind.CONSORTIUM, "2030-01-01",
        "2031-06-30", "Organization/" + organizationId(IdentifierSystems.USCC, CONSORTIUM_USCC));
    assertThatThrownBy(() -> committee().create().resource(eighteenMonths).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e ->
            assertThat(((OperationOutcome) e.getOperationOutcome()).getIssue())
                .anySatisfy(i -> assertThat(i.getDetails().getText()).contains("不得超过一年")));
  }

  @Test
  void copyVersionCreatesNextYearWithTheListedItems() {
    String ident = "CP" + System.nanoTime() % 100000 + "-2030";
    String id = createConsortiumVersion(ident, "2030-01-01", "2030-12-31");
    importRaw(ident, "catalog-2025.csv", "text/csv", resource(CATALOG_2025));
    long listed = csvRows(CATALOG_2025).stream().filter(r -> !r.get("变更类型").equals("调出")).count();

    Parameters out = committee().operation().onInstance("InsurancePlan/" + id).named("$copy-version")
        .withNoParameters(Parameters.class).execute();

    org.hl7.fhir.r4.model.InsurancePlan next = (org.hl7.fhir.r4.model.InsurancePlan) out.getParameter().stream()
        .filter(p -> p.getName().equals("formulary")).findFirst().orElseThrow().getResource();
    assertThat(next.getIdentifierFirstRep().getValue()).isEqualTo(ident.replace("2030", "2031"));
    assertThat(next.getPeriod().getStartElement().getValueAsString()).isEqualTo("2031-01-01");
    assertThat(next.getPeriod().getEndElement().getValueAsString()).isEqualTo("2031-12-31");
    assertThat(integer(out, "items")).isEqualTo(listed);
    List<FormularyEntry> copied = index.entries(List.of(next.getIdElement().getIdPart()));
    assertThat(copied).hasSize((int) listed).allSatisfy(e -> {
      assertThat(e.changeType()).isNull();
      assertThat(e.itemKey()).startsWith(ident.replace("2030", "2031") + "|");
    });
    // The same again is refused: the version exists.
    assertThatThrownBy(() -> committee().operation().onInstance("InsurancePlan/" + id).named("$copy-version")
        .withNoParameters(Parameters.class).execute()).isInstanceOf(UnprocessableEntityException.class);
  }

  // ---------------------------------------------------------------------- 一品两规 violations

  @Test
  void twoSpecCheckFindsAViolationAndHonoursTheExemption() {
    String consortium = unique("TS");
    String consortiumId = createConsortiumVersion(consortium, "2030-01-01", "2030-12-31");
    List<List<String>> rows = new ArrayList<>();
    for (String strength : List.of("0.125g", "0.25g", "0.5g")) {
      rows.add(row("阿莫西林胶囊", "胶囊", strength, "", "石药集团中诺药业（石家庄）有限公司", "", ""));
      rows.add(withGroup(row("硝苯地平控释片", "控释片", strength, "", "拜耳医药保健有限公司", "", ""), "高血压"));
    }
    importRaw(consortium, "c.csv", "text/csv", csv(HEADER, rows));
    String memberIdent = unique("TSM");
    createMemberFormulary(memberIdent, "H50011200002", consortiumId);
    importRaw(memberIdent, "m.csv", "text/csv", csv(HEADER, rows));

    Parameters result = committee().operation().onInstance("InsurancePlan/" + consortiumId).named("$two-spec-check")
        .withNoParameters(Parameters.class).useHttpGet().execute();

    assertThat(integer(result, "violations")).isEqualTo(1);
    Parameters.ParametersParameterComponent inst = result.getParameter().stream()
        .filter(p -> p.getName().equals("institution")).findFirst().orElseThrow();
    var violation = inst.getPart().stream().filter(p -> p.getName().equals("violation")).findFirst().orElseThrow();
    assertThat(violation.getPart().stream().filter(p -> p.getName().equals("genericName")).findFirst().orElseThrow()
        .getValue().primitiveValue()).isEqualTo("阿莫西林胶囊");
    assertThat(violation.getPart().stream().filter(p -> p.getName().equals("productCount")).findFirst().orElseThrow()
        .getValue().primitiveValue()).isEqualTo("3");
    var exempted = inst.getPart().stream().filter(p -> p.getName().equals("exempted")).findFirst().orElseThrow();
    assertThat(exempted.getPart().stream().filter(p -> p.getName().equals("genericName")).findFirst().orElseThrow()
        .getValue().primitiveValue()).isEqualTo("硝苯地平控释片");

    HttpResponse<byte[]> csv = get("InsurancePlan/" + consortiumId + "/$two-spec-check?_format=csv", "committee");
    assertThat(new String(csv.body(), StandardCharsets.UTF_8))
        .startsWith("\uFEFF机构编码,机构名称,成员单位目录,通用名,剂型类别,品规数,上限,是否豁免,品规明细")
        .contains("阿莫西林胶囊,口服,3,2,违规");
  }

  // ---------------------------------------------------------------------------------- helpers

  private Parameters importRaw(String formulary, String fileName, String contentType, byte[] file) {
    HttpResponse<byte[]> response = http("POST", "InsurancePlan/$import-catalog?formulary=" + enc(formulary)
        + "&fileName=" + enc(fileName), "committee", contentType, file);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(body).isEqualTo(200);
    return fhirContext.newJsonParser().parseResource(Parameters.class, body);
  }

  /** Item id → version id of the formulary's items, read over REST. */
  private Map<String, String> versions(String formularyId) {
    Map<String, String> versions = new TreeMap<>();
    for (FormularyEntry e : index.entries(List.of(formularyId))) {
      Basic b = committee().read().resource(Basic.class).withId(e.itemId()).execute();
      versions.put(e.itemId(), b.getMeta().getVersionId());
    }
    return versions;
  }

  private Map<String, String> medicationVersions(String formularyId) {
    Map<String, String> versions = new TreeMap<>();
    for (FormularyEntry e : index.entries(List.of(formularyId))) {
      Medication m = committee().read().resource(Medication.class).withId(e.medicationId()).execute();
      versions.put(e.medicationId(), m.getMeta().getVersionId());
    }
    return versions;
  }

  private String medication(String genericName, String manufacturer) {
    Bundle b = committee().search().byUrl("Medication?code:text=" + enc(genericName) + "&_count=50").returnBundle(Bundle.class).execute();
    return b.getEntry().stream().map(e -> (Medication) e.getResource())
        .filter(m -> manufacturer.equals(m.getManufacturer().getDisplay())).findFirst().orElseThrow()
        .getIdElement().getIdPart();
  }

  private static Basic item(String formularyId, String medicationId) {
    Basic basic = new Basic();
    basic.addExtension(new Extension(Extensions.FORMULARY_REFERENCE, new Reference("InsurancePlan/" + formularyId)));
    basic.getCode().addCoding().setSystem(CodeSystems.FORMULARY_ITEM_TYPE).setCode("formulary-item");
    basic.setSubject(new Reference("Medication/" + medicationId));
    return basic;
  }

  private static List<String> row(String generic, String form, String strength, String pack, String manufacturer,
      String vbp, String batch) {
    return new ArrayList<>(List.of(generic, form, strength, pack, manufacturer, "", "", "", vbp, batch, "", "", "", "是"));
  }

  private static List<String> withGroup(List<String> row, String group) {
    row.set(12, group);
    return row;
  }

  private static byte[] xlsx(List<Map<String, String>> rows) throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = wb.createSheet("目录");
      List<String> header = new ArrayList<>(rows.get(0).keySet());
      Row h = sheet.createRow(0);
      for (int c = 0; c < header.size(); c++) {
        h.createCell(c).setCellValue(header.get(c));
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = sheet.createRow(r + 1);
        for (int c = 0; c < header.size(); c++) {
          String v = rows.get(r).get(header.get(c));
          if (!v.isEmpty()) {
            row.createCell(c).setCellValue(v);
          }
        }
      }
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static int integer(Parameters p, String name) {
    return ((IntegerType) p.getParameter(name).getValue()).getValue();
  }
}
