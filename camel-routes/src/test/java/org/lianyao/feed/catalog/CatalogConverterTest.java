package org.lianyao.feed.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lianyao.feed.catalog.CatalogTestSupport.CONVERTER;
import static org.lianyao.feed.catalog.CatalogTestSupport.FHIR;
import static org.lianyao.feed.catalog.CatalogTestSupport.READER;
import static org.lianyao.feed.catalog.CatalogTestSupport.VALIDATOR;
import static org.lianyao.feed.catalog.CatalogTestSupport.csvCells;
import static org.lianyao.feed.catalog.CatalogTestSupport.fixture;
import static org.lianyao.feed.catalog.CatalogTestSupport.json;
import static org.lianyao.feed.catalog.CatalogTestSupport.validate;
import static org.lianyao.feed.catalog.CatalogTestSupport.xlsx;

import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.util.UrlUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

class CatalogConverterTest {

  private static final FormularyTarget TARGET = FormularyTarget.ofId("InsurancePlan/consortium-2025");

  private static Bundle bundle;
  private static Map<String, Medication> medicationByName;
  private static Map<String, Basic> itemByName;

  @BeforeAll
  static void convertValidFixture() throws IOException {
    bundle = CONVERTER.toTransaction(validate(fixture("valid-catalog.csv")), TARGET);
    Map<String, Medication> byUrl = bundle.getEntry().stream()
        .filter(e -> e.getResource() instanceof Medication)
        .collect(Collectors.toMap(Bundle.BundleEntryComponent::getFullUrl, e -> (Medication) e.getResource()));
    medicationByName = byUrl.values().stream()
        .collect(Collectors.toMap(m -> m.getCode().getText(), Function.identity(), (a, b) -> a));
    itemByName = bundle.getEntry().stream()
        .filter(e -> e.getResource() instanceof Basic)
        .map(e -> (Basic) e.getResource())
        .collect(Collectors.toMap(b -> byUrl.get(b.getSubject().getReference()).getCode().getText(),
            Function.identity()));
  }

  @Test
  void oneMedicationAndOneFormularyItemPerRow() {
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(bundle.getEntry()).hasSize(16);
    assertThat(medicationByName).hasSize(8);
    assertThat(itemByName).hasSize(8);
    Set<String> fullUrls = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl)
        .collect(Collectors.toSet());
    assertThat(fullUrls).hasSize(16).allSatisfy(url -> assertThat(url).startsWith("urn:uuid:"));
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
      assertThat(entry.getRequest().getUrl()).startsWith(entry.getResource().fhirType() + "?identifier=");
      if (entry.getResource() instanceof Basic basic) {
        assertThat(fullUrls).contains(basic.getSubject().getReference());
        assertThat(((Reference) basic.getExtensionByUrl(Extensions.FORMULARY_REFERENCE).getValue()).getReference())
            .isEqualTo("InsurancePlan/consortium-2025");
        assertThat(basic.getCode().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.FORMULARY_ITEM_TYPE);
        assertThat(basic.getCode().getCodingFirstRep().getCode()).isEqualTo("formulary-item");
      }
    }
  }

  @Test
  void medicationCarriesCodesFormStrengthPackageAndManufacturer() {
    Medication metformin = medicationByName.get("盐酸二甲双胍片");

    assertThat(metformin.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(IdentifierSystems.NHSA_DRUG_CODE, "XA10BAE021A010010201650"));
    assertThat(metformin.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(IdentifierSystems.NHSA_DRUG_CODE, "XA10BAE021A010010201650"));
    Coding form = metformin.getForm().getCodingFirstRep();
    assertThat(form.getSystem()).isEqualTo("urn:oid:2.16.156.10011.2.3.1.211");
    assertThat(form.getVersion()).isEqualTo("2011");
    assertThat(form.getCode()).isEqualTo("02");
    assertThat(form.getDisplay()).isEqualTo("糖衣/薄膜衣片");
    assertThat(metformin.getForm().getText()).isEqualTo("薄膜衣片");
    assertThat(metformin.getManufacturer().getDisplay()).isEqualTo("中美上海施贵宝制药有限公司");
    assertThat(metformin.getExtensionByUrl(Extensions.MEDICATION_STRENGTH).getValue().primitiveValue()).isEqualTo("0.5g");
    assertThat(metformin.getExtensionByUrl(Extensions.MEDICATION_PACKAGE).getValue().primitiveValue())
        .isEqualTo("0.5g×20片/盒");
    assertThat(metformin.getStatus()).isEqualTo(Medication.MedicationStatus.ACTIVE);

    Medication atorvastatin = medicationByName.get("阿托伐他汀钙片");
    assertThat(atorvastatin.getIdentifierFirstRep().getSystem()).isEqualTo("http://lianyao.org/fhir/sid/product-key");
    assertThat(atorvastatin.getIdentifierFirstRep().getValue()).matches("[0-9a-f]{32}");
    assertThat(atorvastatin.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(IdentifierSystems.NMPA_STANDARD_CODE, "86900000000010"));

    Medication amoxicillin = medicationByName.get("阿莫西林胶囊");
    assertThat(amoxicillin.getExtensionsByUrl(Extensions.DRUG_CONTROL_CLASS))
        .extracting(e -> ((Coding) e.getValue()).getCode()).containsExactly("antimicrobial");
    assertThat(medicationByName.get("苯磺酸氨氯地平片").getExtensionsByUrl(Extensions.DRUG_CONTROL_CLASS)).isEmpty();
  }

  @Test
  void formularyItemsCarryTheCatalogFlags() {
    Basic atorvastatin = itemByName.get("阿托伐他汀钙片");
    assertThat(bool(atorvastatin, Extensions.VBP)).isTrue();
    assertThat(atorvastatin.getExtensionByUrl(Extensions.VBP_BATCH).getValue().primitiveValue()).isEqualTo("第一批");
    assertThat(bool(atorvastatin, Extensions.ESSENTIAL_MEDICINE)).isTrue();
    assertThat(bool(atorvastatin, Extensions.LINKAGE_DRUG)).isTrue();
    Coding insurance = (Coding) atorvastatin.getExtensionByUrl(Extensions.INSURANCE_CLASS).getValue();
    assertThat(insurance.getSystem()).isEqualTo(CodeSystems.INSURANCE_CLASS);
    assertThat(insurance.getCode()).isEqualTo("A");
    assertThat(insurance.getDisplay()).isEqualTo("甲类");
    assertThat(atorvastatin.getExtensionsByUrl(Extensions.CHRONIC_DISEASE_GROUP))
        .extracting(e -> ((Coding) e.getValue()).getCode())
        .containsExactly("coronary-heart-disease", "hyperlipidemia");
    assertThat(bool(atorvastatin, Extensions.TWO_SPEC_EXEMPT)).as("not a 38号 group").isFalse();
    assertThat(atorvastatin.getIdentifierFirstRep().getSystem()).isEqualTo(CatalogConverter.FORMULARY_ITEM_SYSTEM);
    assertThat(atorvastatin.getIdentifierFirstRep().getValue())
        .isEqualTo("InsurancePlan/consortium-2025|"
            + medicationByName.get("阿托伐他汀钙片").getIdentifierFirstRep().getValue());

    assertThat(bool(itemByName.get("苯磺酸氨氯地平片"), Extensions.TWO_SPEC_EXEMPT)).as("hypertension default").isTrue();
    assertThat(bool(itemByName.get("盐酸二甲双胍片"), Extensions.TWO_SPEC_EXEMPT)).as("diabetes default").isTrue();
    assertThat(bool(itemByName.get("噻托溴铵粉雾剂"), Extensions.TWO_SPEC_EXEMPT)).as("COPD default").isTrue();
    assertThat(bool(itemByName.get("单硝酸异山梨酯片"), Extensions.TWO_SPEC_EXEMPT)).as("explicit 否").isFalse();
    assertThat(bool(itemByName.get("阿莫西林胶囊"), Extensions.LINKAGE_DRUG)).isFalse();
    assertThat(bool(itemByName.get("盐酸二甲双胍片"), Extensions.VBP)).isFalse();

    Basic sertraline = itemByName.get("盐酸舍曲林片");
    assertThat(sertraline.hasExtension(Extensions.VBP)).as("blank VBP is not stated").isFalse();
    assertThat(sertraline.hasExtension(Extensions.ESSENTIAL_MEDICINE)).isFalse();
    assertThat(sertraline.hasExtension(Extensions.INSURANCE_CLASS)).isFalse();

    Extension change = itemByName.get("盐酸二甲双胍片").getExtensionByUrl(Extensions.FORMULARY_CHANGE);
    assertThat(((Coding) change.getExtensionByUrl("type").getValue()).getCode()).isEqualTo("introduce");
    assertThat(((Coding) change.getExtensionByUrl("type").getValue()).getSystem())
        .isEqualTo(CodeSystems.FORMULARY_CHANGE_TYPE);
    assertThat(change.getExtensionByUrl("effective").getValue().primitiveValue()).isEqualTo("2025-04-01");
    assertThat(change.getExtensionByUrl("reason").getValue().primitiveValue()).isEqualTo("基层糖尿病患者用药需求");
    assertThat(itemByName.get("阿托伐他汀钙片").hasExtension(Extensions.FORMULARY_CHANGE)).isFalse();
  }

  @Test
  void twoSpecExemptGroupsAreConfigurable() throws IOException {
    CatalogConverter strict = new CatalogConverter(CatalogTestSupport.VOCABULARY, new CatalogRules(Set.of("copd")));
    Bundle result = strict.toTransaction(validate(fixture("valid-catalog.csv")), TARGET);

    Map<String, Boolean> exempt = result.getEntry().stream()
        .filter(e -> e.getResource() instanceof Basic)
        .map(e -> (Basic) e.getResource())
        .collect(Collectors.toMap(b -> b.getSubject().getDisplay(), b -> bool(b, Extensions.TWO_SPEC_EXEMPT)));
    assertThat(exempt).containsEntry("苯磺酸氨氯地平片 5mg", false).containsEntry("噻托溴铵粉雾剂 18μg", true);
  }

  @Test
  void theSameFileGivesTheSameBundleWhateverItsFormatOrEncoding() throws IOException {
    String first = json(CONVERTER.toTransaction(validate(fixture("valid-catalog.csv")), TARGET));
    String again = json(CONVERTER.toTransaction(
        VALIDATOR.validate(new CatalogReader().read(fixture("valid-catalog.csv"))), TARGET));
    String gb18030 = json(CONVERTER.toTransaction(validate(fixture("valid-catalog-gb18030.csv")), TARGET));
    byte[] workbook = xlsx("目录", 0, csvCells(fixture("valid-catalog.csv")), null);
    String fromXlsx = json(CONVERTER.toTransaction(
        VALIDATOR.validate(READER.read(new ByteArrayInputStream(workbook), "catalog.xlsx")), TARGET));

    assertThat(again).isEqualTo(first);
    assertThat(gb18030).isEqualTo(first);
    assertThat(fromXlsx).isEqualTo(first);
  }

  @Test
  void conditionalUrlsResolveToTheResourcesOwnIdentifiersInHapi() {
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      String url = entry.getRequest().getUrl();
      Map<String, String[]> query = UrlUtil.parseQueryString(url.substring(url.indexOf('?') + 1));
      assertThat(query.get("identifier")).hasSize(1);
      TokenParam token = new TokenParam();
      token.setValueAsQueryToken(FHIR, "identifier", null, query.get("identifier")[0]);

      List<Identifier> identifiers = entry.getResource() instanceof Medication m ? m.getIdentifier()
          : ((Basic) entry.getResource()).getIdentifier();
      assertThat(identifiers).anySatisfy(id -> {
        assertThat(id.getSystem()).isEqualTo(token.getSystem());
        assertThat(id.getValue()).isEqualTo(token.getValue());
      });
    }
    // The formulary-item value holds a '|' that must survive the search syntax.
    Bundle.BundleEntryComponent basicEntry = bundle.getEntry().get(1);
    assertThat(basicEntry.getRequest().getUrl()).contains("%5C%7C");
  }

  @Test
  void formularyTargetsByIdOrIdentifier() {
    assertThat(FormularyTarget.ofId("123")).isEqualTo(new FormularyTarget("InsurancePlan/123", "InsurancePlan/123"));
    assertThat(FormularyTarget.ofId("InsurancePlan/123/_history/4").key()).isEqualTo("InsurancePlan/123");
    assertThatThrownBy(() -> FormularyTarget.ofId("Basic/1")).isInstanceOf(IllegalArgumentException.class);

    FormularyTarget byIdentifier = FormularyTarget.ofIdentifier("http://example.org/formulary", "YB|2025");
    assertThat(byIdentifier.key()).isEqualTo("YB|2025");
    assertThat(byIdentifier.reference()).isEqualTo("InsurancePlan?identifier=http://example.org/formulary|YB%5C%7C2025");
    assertThat(byIdentifier.formularyItemValue(new ProductKey(ProductKey.SYSTEM, "abc")))
        .isEqualTo("YB|2025|abc");
  }

  @Test
  void productKeysIgnoreSpellingButNotSubstance() {
    String key = ProductKey.derive("阿托伐他汀钙片", "01", "20mg", "20mg×7片/盒", "北京嘉林药业股份有限公司");

    assertThat(ProductKey.canonicalText("阿托伐他汀钙片", "01", "20MG", "20mg * 7片／盒", "北京嘉林药业股份有限公司 "))
        .isEqualTo("阿托伐他汀钙片|01|20mg|20mg×7片/盒|北京嘉林药业股份有限公司");
    assertThat(ProductKey.derive("阿托伐他汀钙片", "01", "20 mg", "20mgx7片/盒", "北京嘉林药业股份有限公司"))
        .isEqualTo(key);
    assertThat(ProductKey.derive("阿托伐他汀钙片", "01", "20mg", "20mg×7片/盒", "辉瑞制药有限公司"))
        .isNotEqualTo(key);
    assertThat(ProductKey.derive("阿托伐他汀钙片", "01", "10mg", "20mg×7片/盒", "北京嘉林药业股份有限公司"))
        .isNotEqualTo(key);
    assertThat(ProductKey.derive("阿托伐他汀钙片", "01", "20mg", "20mg×14片/盒", "北京嘉林药业股份有限公司"))
        .isNotEqualTo(key);
  }

  @Test
  void anInvalidValidationCannotBeConverted() throws IOException {
    CatalogValidation invalid = validate(fixture("bad-rows.csv"));

    assertThatThrownBy(() -> CONVERTER.toTransaction(invalid, TARGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-or-nothing");
  }

  @Test
  void bundleSurvivesAJsonRoundTrip() {
    String text = json(bundle);
    Bundle parsed = FHIR.newJsonParser().parseResource(Bundle.class, text);

    assertThat(json(parsed)).isEqualTo(text);
    assertThat(text).doesNotContain("lastUpdated");
  }

  private static Boolean bool(Basic basic, String url) {
    Extension extension = basic.getExtensionByUrl(url);
    return extension == null ? null : ((BooleanType) extension.getValue()).getValue();
  }
}
