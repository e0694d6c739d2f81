package org.lianyao.formulary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.lianyao.feed.catalog.CatalogImportResult;
import org.lianyao.feed.catalog.CatalogImporter;
import org.lianyao.feed.catalog.FormularyTarget;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.TerminologyResources;

/** What the catalog converter writes is what the formulary services read back. */
class FormularyResourcesTest {

  private static final CatalogImporter IMPORTER = new CatalogImporter(new TerminologyResources(FhirContext.forR4Cached()));

  @Test
  void readsTheConvertersItemsAndProducts() throws Exception {
    String csv = "通用名,剂型,规格,包装,生产企业,医保药品编码,本位码,批准文号,集采,集采批次,基药,医保类别,慢病病种,衔接药品,变更类型,生效日期,变更原因\n"
        + "苯磺酸氨氯地平片,片剂,5mg,5mg×7片/盒,浙江京新药业股份有限公司,,,,是,第一批,是,甲类,高血压、冠心病,是,变更,2025-04-01,集采替代\n";
    FormularyTarget target = FormularyTarget.ofIdentifier(IdentifierSystems.FORMULARY, "YGT-2025");
    CatalogImportResult result = IMPORTER.prepare(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", target);
    assertThat(result.problems()).isEmpty();
    Medication medication = (Medication) result.transaction().getEntry().get(0).getResource();
    Basic basic = (Basic) result.transaction().getEntry().get(1).getResource();
    // As stored: ids assigned and references resolved by the server.
    medication.setId("Medication/17");
    basic.setId("Basic/18");
    basic.setSubject(new Reference("Medication/17"));
    basic.getExtensionByUrl(Extensions.FORMULARY_REFERENCE).setValue(new Reference("InsurancePlan/5"));

    Product product = FormularyResources.toProduct(medication);
    assertThat(product).isEqualTo(new Product("17", "苯磺酸氨氯地平片", "01", "片剂", "5mg", "5mg×7片/盒",
        "浙江京新药业股份有限公司", null));
    assertThat(product.specKey()).hasSize(32);

    assertThat(FormularyResources.isFormularyItem(basic)).isTrue();
    FormularyEntry e = FormularyResources.toEntry(basic);
    assertThat(e.itemId()).isEqualTo("18");
    assertThat(e.formularyId()).isEqualTo("5");
    assertThat(e.medicationId()).isEqualTo("17");
    assertThat(e.itemKey()).startsWith("YGT-2025|");
    assertThat(e.productKey()).hasSize(32);
    assertThat(e.vbp()).isTrue();
    assertThat(e.vbpBatch()).isEqualTo("第一批");
    assertThat(e.essentialMedicine()).isTrue();
    assertThat(e.insuranceClass()).isEqualTo("A");
    assertThat(e.chronicDiseaseGroups()).containsExactly("hypertension", "coronary-heart-disease");
    assertThat(e.twoSpecExempt()).isTrue(); // hypertension: the policy default the converter writes
    assertThat(e.linkageDrug()).isTrue();
    assertThat(e.changeType()).isEqualTo("change");
    assertThat(e.changeEffective()).isEqualTo(LocalDate.of(2025, 4, 1));
    assertThat(e.changeReason()).isEqualTo("集采替代");
    assertThat(e.active()).isTrue();
  }

  @Test
  void unresolvedOrForeignReferencesNameNothing() {
    assertThat(FormularyResources.idOf(new Reference("InsurancePlan?identifier=x|y"), "InsurancePlan")).isNull();
    assertThat(FormularyResources.idOf(new Reference("urn:uuid:1234"), "InsurancePlan")).isNull();
    assertThat(FormularyResources.idOf(new Reference("Organization/1"), "InsurancePlan")).isNull();
    assertThat(FormularyResources.idOf(new Reference("http://x.org/fhir/InsurancePlan/7/_history/2"), "InsurancePlan"))
        .isEqualTo("7");
    Basic notAnItem = new Basic();
    notAnItem.getCode().setText("other");
    assertThat(FormularyResources.isFormularyItem(notAnItem)).isFalse();
  }

  @Test
  void newResourcesGetIdsDerivedFromTheirKey() {
    String id = CatalogImportService.derivedId("med", IdentifierSystems.PRODUCT_KEY + "|0123abcd");
    assertThat(id).matches("med-[0-9a-f]{32}");
    assertThat(CatalogImportService.derivedId("med", IdentifierSystems.PRODUCT_KEY + "|0123abcd")).isEqualTo(id);
    assertThat(CatalogImportService.derivedId("med", IdentifierSystems.PRODUCT_KEY + "|0123abce")).isNotEqualTo(id);
    assertThat(new org.hl7.fhir.r4.model.IdType("Medication", id).isIdPartValid()).isTrue();
  }

  @Test
  void medicationsWithoutNationalCodeAreTaggedForTheProfile() {
    Medication m = new Medication();
    m.getCode().setText("某药");
    CatalogImportService.markWithoutNationalCode(m);
    CatalogImportService.markWithoutNationalCode(m);
    assertThat(m.getMeta().getTag()).singleElement().satisfies(t -> assertThat(t.getCode()).isEqualTo("unmatched-drug"));
    Medication coded = new Medication();
    coded.getCode().addCoding().setSystem(IdentifierSystems.NHSA_DRUG_CODE).setCode("XA10BAE021A010010201650");
    CatalogImportService.markWithoutNationalCode(coded);
    assertThat(coded.getMeta().getTag()).isEmpty();
    assertThat(new Bundle().getEntry()).isEmpty();
  }
}
