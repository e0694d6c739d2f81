package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.lianyao.feed.catalog.CatalogTestSupport.READER;
import static org.lianyao.feed.catalog.CatalogTestSupport.VALIDATOR;
import static org.lianyao.feed.catalog.CatalogTestSupport.VOCABULARY;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;
import static org.lianyao.feed.catalog.CatalogTestSupport.validate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;

class CatalogValidatorTest {

  private static final String HEADER =
      "序号,通用名,剂型,规格,包装,生产企业,医保药品编码,本位码,批准文号,集采,集采批次,基药,医保类别,慢病病种,衔接药品,一品两规豁免,药品管制类别,变更类型,生效日期,变更原因\n";

  private static CatalogValidation validateCsv(String body) throws IOException {
    byte[] bytes = (HEADER + body).getBytes(StandardCharsets.UTF_8);
    return VALIDATOR.validate(READER.read(new ByteArrayInputStream(bytes), "test.csv"));
  }

  @Test
  void validFileHasNoProblemsAndEveryCellIsInterpreted() throws IOException {
    CatalogValidation validation = validate(fixture("valid-catalog.csv"));

    assertThat(validation.problems()).isEmpty();
    assertThat(validation.isValid()).isTrue();
    List<CatalogItem> items = validation.items();
    assertThat(items).extracting(CatalogItem::rowNumber).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);

    CatalogItem atorvastatin = items.get(0);
    assertThat(atorvastatin.dosageForm().code()).isEqualTo("01");
    assertThat(atorvastatin.dosageForm().version()).isEqualTo("2011");
    assertThat(atorvastatin.vbp()).isTrue();
    assertThat(atorvastatin.vbpBatch()).isEqualTo("第一批");
    assertThat(atorvastatin.insuranceClass().code()).isEqualTo(CodeSystems.InsuranceClass.A);
    assertThat(atorvastatin.chronicDiseaseGroups()).extracting(CatalogCode::code)
        .containsExactly("coronary-heart-disease", "hyperlipidemia");
    assertThat(atorvastatin.productKey().system()).isEqualTo(ProductKey.SYSTEM);
    assertThat(atorvastatin.nmpaStandardCode()).isEqualTo("86900000000010");

    assertThat(items.get(1).dosageForm().code()).as("片 is 片剂").isEqualTo("01");
    CatalogItem metformin = items.get(2);
    assertThat(metformin.dosageForm().code()).as("薄膜衣片").isEqualTo("02");
    assertThat(metformin.dosageFormText()).isEqualTo("薄膜衣片");
    assertThat(metformin.productKey()).isEqualTo(
        new ProductKey(IdentifierSystems.NHSA_DRUG_CODE, "XA10BAE021A010010201650"));
    assertThat(metformin.vbp()).isFalse();
    assertThat(metformin.changeType().code()).isEqualTo("introduce");
    assertThat(metformin.effectiveDate()).isEqualTo(LocalDate.of(2025, 4, 1));

    CatalogItem amoxicillin = items.get(3);
    assertThat(amoxicillin.dosageForm().code()).isEqualTo("19");
    assertThat(amoxicillin.vbp()).as("Y").isTrue();
    assertThat(amoxicillin.essentialMedicine()).as("√").isTrue();
    assertThat(amoxicillin.linkageDrug()).as("N").isFalse();
    assertThat(amoxicillin.chronicDiseaseGroups()).isEmpty();
    assertThat(amoxicillin.drugControlClasses()).extracting(CatalogCode::code).containsExactly("antimicrobial");

    assertThat(items.get(4).dosageForm().code()).as("吸入粉雾剂").isEqualTo("60");
    assertThat(items.get(5).twoSpecExempt()).as("explicit 否").isFalse();
    CatalogItem sertraline = items.get(6);
    assertThat(sertraline.vbp()).as("blank = not stated").isNull();
    assertThat(sertraline.essentialMedicine()).isNull();
    assertThat(sertraline.insuranceClass()).isNull();
    assertThat(sertraline.effectiveDate()).as("2025/4/1").isEqualTo(LocalDate.of(2025, 4, 1));
    assertThat(items.get(7).effectiveDate()).as("2025年4月1日").isEqualTo(LocalDate.of(2025, 4, 1));
    assertThat(items.get(7).changeType().code()).isEqualTo("change");
  }

  @Test
  void everyProblemOfEveryRowIsReportedWithRowAndColumn() throws IOException {
    CatalogValidation validation = validate(fixture("bad-rows.csv"));

    assertThat(validation.isValid()).isFalse();
    assertThat(validation.problems())
        .extracting(CatalogProblem::row, CatalogProblem::column)
        .containsExactly(
            tuple(3, "生产企业"),
            tuple(4, "剂型"),
            tuple(5, "医保药品编码"),
            tuple(5, "本位码"),
            tuple(6, "集采"),
            tuple(6, "医保类别"),
            tuple(7, "慢病病种"),
            tuple(7, "生效日期"),
            tuple(8, "通用名"),
            tuple(10, "通用名"),
            tuple(10, "规格"),
            tuple(11, "本位码"),
            tuple(13, "医保药品编码"),
            tuple(14, "集采批次"),
            tuple(14, "药品管制类别"),
            tuple(14, "变更类型"));
    assertThat(validation.problems()).allSatisfy(p -> {
      assertThat(p.chineseMessage()).isNotBlank();
      assertThat(p.englishDiagnostic()).isNotBlank().doesNotContainPattern("[\\u4e00-\\u9fff]{6,}");
    });
    assertThat(problem(validation, 3, "生产企业").chineseMessage()).contains("缺少生产企业");
    assertThat(problem(validation, 4, "剂型").value()).isEqualTo("片子");
    assertThat(problem(validation, 5, "本位码").chineseMessage()).contains("校验位");
    assertThat(problem(validation, 6, "集采").value()).isEqualTo("可能");
    assertThat(problem(validation, 6, "医保类别").value()).isEqualTo("丁类");
    assertThat(problem(validation, 7, "慢病病种").chineseMessage()).contains("痛风").doesNotContain("高血压、痛风（");
    assertThat(problem(validation, 7, "生效日期").value()).isEqualTo("2025-02-30");
    // 片 vs 片剂, 5MG vs 5mg, * vs ×, trailing space: still the product of row 2.
    assertThat(problem(validation, 8, "通用名").chineseMessage()).contains("与第2行重复");
    assertThat(problem(validation, 8, "通用名").englishDiagnostic()).contains("row 2");
    assertThat(problem(validation, 11, "本位码").chineseMessage()).contains("科学计数法");
    assertThat(problem(validation, 13, "医保药品编码").chineseMessage()).contains("与第12行重复");
    assertThat(problem(validation, 14, "药品管制类别").chineseMessage()).contains("精三");
    // Rows without a problem of their own are still interpreted (preview), but nothing is importable.
    assertThat(validation.items()).extracting(CatalogItem::rowNumber).containsExactly(2, 12);
  }

  private static CatalogProblem problem(CatalogValidation validation, int row, String column) {
    return validation.problems().stream()
        .filter(p -> p.row() == row && p.column().equals(column))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aBatchInTheVbpColumnMeansYes() throws IOException {
    CatalogValidation validation = validateCsv(
        "1,阿托伐他汀钙片,片剂,20mg,,北京嘉林药业股份有限公司,,,,国采第一批,,是,,冠心病,是,,,,,\n"
            + "2,瑞舒伐他汀钙片,片剂,10mg,,浙江海正药业股份有限公司,,,,,第一批,是,,冠心病,是,,,,,\n");

    assertThat(validation.problems()).isEmpty();
    assertThat(validation.items()).extracting(CatalogItem::vbp, CatalogItem::vbpBatch)
        .containsExactly(tuple(true, "国采第一批"), tuple(true, "第一批"));
  }

  @Test
  void chronicDiseaseListsAcceptTheUsualSeparatorsAndSynonyms() throws IOException {
    CatalogValidation validation = validateCsv(
        "1,阿司匹林肠溶片,肠溶片,100mg,,拜耳医药保健有限公司,,,,,,是,甲类,\"高血压,糖尿病；慢阻肺/冠心病 脑卒中、慢性阻塞性肺疾病\",是,,,,,\n");

    assertThat(validation.problems()).isEmpty();
    assertThat(validation.items().get(0).chronicDiseaseGroups()).extracting(CatalogCode::code)
        .containsExactly("hypertension", "diabetes", "copd", "coronary-heart-disease", "stroke");
    assertThat(validation.items().get(0).chronicDiseaseGroups()).extracting(CatalogCode::display)
        .containsExactly("高血压", "糖尿病", "慢阻肺", "冠心病", "脑卒中");
  }

  @Test
  void changeFieldsMustBeConsistent() throws IOException {
    CatalogValidation validation = validateCsv(
        "1,阿托伐他汀钙片,片剂,20mg,,北京嘉林药业股份有限公司,,,,是,,是,,冠心病,是,,,引进,,\n"
            + "2,瑞舒伐他汀钙片,片剂,10mg,,浙江海正药业股份有限公司,,,,是,,是,,冠心病,是,,,,,集采替代\n"
            + "3,恩替卡韦片,片剂,0.5mg,,正大天晴药业集团股份有限公司,,,,是,,是,,乙肝,是,,,淘汰,2025-04-01,\n"
            + "4,恩替卡韦片,片剂,0.5mg,,正大天晴药业集团股份有限公司,,,,是,,是,,乙肝,是,,,调出,1925-04-01,\n");

    assertThat(validation.problems()).extracting(CatalogProblem::row, CatalogProblem::column)
        .containsExactly(tuple(2, "生效日期"), tuple(3, "变更类型"), tuple(4, "变更类型"), tuple(5, "通用名"),
            tuple(5, "生效日期"));
  }

  @ParameterizedTest
  @CsvSource({
      "片剂, 01", "片, 01", "薄膜衣片, 02", "糖衣片, 02", "片剂（薄膜衣）, 02", "肠溶片, 04", "缓释片, 05",
      "控释片, 05", "缓释片(薄膜衣), 05", "胶囊, 19", "胶囊剂, 19", "软胶囊, 20", "滴丸, 20", "肠溶胶囊, 21",
      "缓释胶囊, 22", "注射液, 16", "颗粒, 54", "散剂, 53", "吸入粉雾剂, 60", "吸入气雾剂, 57", "滴眼液, 43",
      "舌下片, 07", "'  片 剂 ', 01", "乳膏, 49"})
  void dosageFormSpellingsMapToTheNationalTable(String text, String code) {
    assertThat(VOCABULARY.dosageForm(text)).get().extracting(CatalogCode::code).isEqualTo(code);
  }

  @ParameterizedTest
  @ValueSource(strings = {"片子", "神药", "tablet", "剂"})
  void unknownDosageFormsAreNotGuessed(String text) {
    assertThat(VOCABULARY.dosageForm(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"是, YES", "否, NO", "Y, YES", "n, NO", "√, YES", "×, NO", "'', BLANK", "1, YES", "0, NO",
      "Ｙ, YES", "可能, INVALID", "是的, INVALID"})
  void yesNoSpellings(String text, CatalogVocabulary.YesNo expected) {
    assertThat(CatalogVocabulary.yesNo(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"甲, A", "甲类, A", "医保乙类, B", "丙类, C", "Ｂ, B"})
  void insuranceClassSpellings(String text, String code) {
    assertThat(VOCABULARY.insuranceClass(text)).get().extracting(CatalogCode::code).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource({"2025-04-01", "2025/4/1", "2025.4.1", "2025年4月1日", "20250401", "2025-04-01 00:00:00",
      "2025/4/1 0:00"})
  void dateSpellings(String text) {
    assertThat(CatalogValidator.parseDate(text)).contains(LocalDate.of(2025, 4, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-02-30", "2025-13-01", "明年", "45748", "2025"})
  void invalidDates(String text) {
    assertThat(CatalogValidator.parseDate(text)).isEmpty();
  }

  @Test
  void codeSystemDisplaysComeFromTheTerminologyModule() {
    assertThat(VOCABULARY.chronicDiseaseGroup("慢性阻塞性肺疾病")).get()
        .satisfies(c -> {
          assertThat(c.system()).isEqualTo(CodeSystems.CHRONIC_DISEASE_GROUP);
          assertThat(c.display()).isEqualTo(CATALOG_DISPLAY_COPD);
        });
    assertThat(VOCABULARY.dosageFormTable()).hasSize(CatalogTestSupport.TERMINOLOGY
        .concepts(CodeSystems.DOSAGE_FORM).size());
    assertThat(VOCABULARY.drugControlClass("精二")).get().extracting(CatalogCode::code).isEqualTo("psychotropic-2");
    assertThat(VOCABULARY.changeType("新增")).get().extracting(CatalogCode::code).isEqualTo("introduce");
  }

  private static final String CATALOG_DISPLAY_COPD = CatalogTestSupport.TERMINOLOGY
      .display(CodeSystems.CHRONIC_DISEASE_GROUP, "copd").orElseThrow();
}
