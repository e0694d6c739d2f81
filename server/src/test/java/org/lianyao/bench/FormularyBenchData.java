package org.lianyao.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Synthetic data for {@code bench/formulary.sh} (plain Java main, no test framework): a 5,000-row
 * XLSX catalog, a 1,000-item consortium catalog, 50 member institutions with member formularies of
 * varying coverage, and the FHIR bundles that register them. Deterministic for a given seed; every
 * product is fictitious (基准测试药品) so nothing could pass for a real code.
 *
 * <p>Arguments: output folder, catalog items (1000), institutions (50), XLSX rows (5000), seed (1).
 */
public final class FormularyBenchData {

  static final String[] HEADER = {"序号", "通用名", "剂型", "规格", "包装", "生产企业", "医保药品编码", "本位码", "批准文号",
      "集采", "集采批次", "基药", "医保类别", "慢病病种", "衔接药品", "一品两规豁免", "药品管制类别", "变更类型", "生效日期", "变更原因"};
  private static final String[] FORMS = {"片剂", "胶囊", "缓释片", "注射液", "颗粒剂", "肠溶片", "软胶囊", "散剂"};
  private static final String[] GROUPS = {"高血压", "糖尿病", "冠心病", "慢阻肺", "脑卒中", "慢性肾病", "骨质疏松", "血脂异常", ""};
  private static final String[] CLASSES = {"甲类", "乙类", ""};
  private static final String CONSORTIUM = "Organization?identifier=" + IdentifierSystems.USCC + "|12500112MB00000014";

  private FormularyBenchData() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/work/formulary-data");
    int catalogItems = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int institutions = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int xlsxRows = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
    Files.createDirectories(out.resolve("members"));
    Random random = new Random(seed);

    writeXlsx(out.resolve("BENCHXL-2030.xlsx"), rows(xlsxRows, "X", new Random(seed + 1)));
    List<String[]> catalog = rows(catalogItems, "C", random);
    writeCsv(out.resolve("BENCH-2030.csv"), catalog);

    List<String> codes = new ArrayList<>();
    for (int i = 1; i <= institutions; i++) {
      codes.add(String.format("H99999%06d", i).substring(0, 12));
    }
    for (int i = 0; i < codes.size(); i++) {
      // Hospitals (the first tenth) stock most of the catalog; grassroots members 10 %–90 %.
      double share = i < Math.max(1, institutions / 10) ? 0.92 : 0.10 + 0.80 * random.nextDouble();
      List<String[]> member = new ArrayList<>();
      for (String[] row : catalog) {
        if (random.nextDouble() < share) {
          String[] copy = row.clone();
          copy[0] = Integer.toString(member.size() + 1);
          member.add(copy);
        }
      }
      writeCsv(out.resolve("members").resolve(codes.get(i) + "-2030.csv"), member);
    }
    FhirContext fhir = FhirContext.forR4();
    Files.writeString(out.resolve("organizations.json"),
        fhir.newJsonParser().encodeResourceToString(organizations(codes, institutions)), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("formularies.json"),
        fhir.newJsonParser().encodeResourceToString(formularies(codes)), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("institutions.txt"), String.join("\n", codes) + "\n", StandardCharsets.UTF_8);
    System.out.println("bench data in " + out.toAbsolutePath() + ": " + catalogItems + " catalog items, "
        + institutions + " institutions, " + xlsxRows + " XLSX rows");
  }

  /** Distinct product-specs: one generic name per row, a handful of forms and strengths. */
  static List<String[]> rows(int n, String prefix, Random random) {
    List<String[]> rows = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      String form = FORMS[random.nextInt(FORMS.length)];
      String group = GROUPS[random.nextInt(GROUPS.length)];
      boolean vbp = random.nextDouble() < 0.6;
      String[] r = new String[HEADER.length];
      java.util.Arrays.fill(r, "");
      r[0] = Integer.toString(i);
      r[1] = "基准测试药品" + prefix + String.format("%05d", i) + (form.contains("注射") ? "注射液" : form.contains("胶囊") ? "胶囊" : "片");
      r[2] = form;
      r[3] = (5 * (1 + random.nextInt(40))) + "mg";
      r[4] = r[3] + "×" + (7 * (1 + random.nextInt(4))) + (form.contains("注射") ? "支/盒" : "片/盒");
      r[5] = "基准测试药业有限公司" + (1 + random.nextInt(200));
      r[9] = vbp ? "是" : "否";
      r[10] = vbp ? "第" + "一二三四五六七八九".charAt(random.nextInt(9)) + "批" : "";
      r[11] = random.nextDouble() < 0.6 ? "是" : "否";
      r[12] = CLASSES[random.nextInt(CLASSES.length)];
      r[13] = group;
      r[14] = random.nextDouble() < 0.7 ? "是" : "否";
      rows.add(r);
    }
    return rows;
  }

  static void writeCsv(Path file, List<String[]> rows) throws IOException {
    StringBuilder b = new StringBuilder("\uFEFF").append(String.join(",", HEADER)).append('\n');
    for (String[] r : rows) {
      b.append(String.join(",", r)).append('\n');
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  static void writeXlsx(Path file, List<String[]> rows) throws IOException {
    try (SXSSFWorkbook wb = new SXSSFWorkbook(200); OutputStream out = Files.newOutputStream(file)) {
      Sheet sheet = wb.createSheet("目录");
      Row header = sheet.createRow(0);
      for (int c = 0; c < HEADER.length; c++) {
        header.createCell(c).setCellValue(HEADER[c]);
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = sheet.createRow(r + 1);
        String[] values = rows.get(r);
        for (int c = 0; c < values.length; c++) {
          if (!values[c].isEmpty()) {
            row.createCell(c).setCellValue(values[c]);
          }
        }
      }
      wb.write(out);
      wb.dispose();
    }
  }

  private static Bundle organizations(List<String> codes, int institutions) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (int i = 0; i < codes.size(); i++) {
      String level = i < Math.max(1, institutions / 10) ? CodeSystems.InstitutionLevel.SECONDARY_HOSPITAL
          : i % 3 == 0 ? CodeSystems.InstitutionLevel.COMMUNITY_HEALTH_CENTER
          : i % 3 == 1 ? CodeSystems.InstitutionLevel.TOWNSHIP_HEALTH_CENTER : CodeSystems.InstitutionLevel.VILLAGE_CLINIC;
      Organization org = new Organization();
      org.addIdentifier().setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE).setValue(codes.get(i));
      org.setActive(true);
      org.setName("基准测试医疗机构" + (i + 1));
      org.addType().addCoding().setSystem(CodeSystems.INSTITUTION_LEVEL).setCode(level);
      org.setPartOf(new Reference(CONSORTIUM));
      bundle.addEntry().setResource(org).getRequest().setMethod(Bundle.HTTPVerb.PUT)
          .setUrl("Organization?identifier=" + IdentifierSystems.NHSA_INSTITUTION_CODE + "|" + codes.get(i));
    }
    return bundle;
  }

  private static Bundle formularies(List<String> codes) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String parent = "urn:uuid:" + UUID.nameUUIDFromBytes("BENCH-2030".getBytes(StandardCharsets.UTF_8));
    addPlan(bundle, parent, plan("BENCH-2030", "consortium", CONSORTIUM));
    addPlan(bundle, "urn:uuid:" + UUID.nameUUIDFromBytes("BENCHXL-2030".getBytes(StandardCharsets.UTF_8)),
        plan("BENCHXL-2030", "consortium", CONSORTIUM));
    for (String code : codes) {
      InsurancePlan member = plan(code + "-2030", "member",
          "Organization?identifier=" + IdentifierSystems.NHSA_INSTITUTION_CODE + "|" + code);
      member.addExtension(new Extension(Extensions.PARENT_FORMULARY, new Reference(parent)));
      addPlan(bundle, "urn:uuid:" + UUID.nameUUIDFromBytes((code + "-2030").getBytes(StandardCharsets.UTF_8)), member);
    }
    return bundle;
  }

  private static void addPlan(Bundle bundle, String fullUrl, InsurancePlan plan) {
    bundle.addEntry().setFullUrl(fullUrl).setResource(plan).getRequest().setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("InsurancePlan?identifier=" + IdentifierSystems.FORMULARY + "|" + plan.getIdentifierFirstRep().getValue());
  }

  private static InsurancePlan plan(String identifier, String kind, String owner) {
    InsurancePlan plan = new InsurancePlan();
    plan.addIdentifier().setSystem(IdentifierSystems.FORMULARY).setValue(identifier);
    plan.setStatus(PublicationStatus.ACTIVE);
    plan.addType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode(CodeSystems.DRUGPOL);
    plan.addType().addCoding().setSystem(CodeSystems.FORMULARY_KIND).setCode(kind);
    plan.setName("基准测试目录 " + identifier);
    plan.getPeriod().setStartElement(new DateTimeType("2030-01-01")).setEndElement(new DateTimeType("2030-12-31"));
    plan.setOwnedBy(new Reference(owner));
    return plan;
  }
}
