package org.lianyao.feed.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.junit.jupiter.api.Test;
import org.lianyao.feed.hl7.ConceptMapCodeMapper;
import org.lianyao.feed.hl7.DrugCodeMapper;
import org.lianyao.feed.hl7.Hl7ConverterConfig;
import org.lianyao.feed.hl7.RdeConversionResult;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.TerminologyResources;

/** Intermediate-table rows → FHIR, without Spring or a database. */
class IntermediateRowConverterTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final TerminologyResources TERMINOLOGY = new TerminologyResources(FHIR);
  private static final String CLINIC = "H50011200003";
  private static final IntermediateRowConverter CONVERTER = new IntermediateRowConverter(
      Hl7ConverterConfig.of(TERMINOLOGY, DrugCodeMapper.from(new ConceptMapCodeMapper(
          List.of(conceptMap("hl7/terminology/ConceptMap-local-drug-H50011200003.json"))))),
      TERMINOLOGY);

  static Map<String, Object> header() {
    Map<String, Object> h = new HashMap<>();
    // Keys as an Oracle view would return them: upper case.
    h.put("PRESCRIPTION_NO", "MZ20261121001");
    h.put("RESIDENT_ID", "500112194811300179");
    h.put("PATIENT_NAME", "刘强");
    h.put("GENDER", "男");
    h.put("BIRTH_DATE", java.sql.Date.valueOf("1948-11-30"));
    h.put("PRESCRIBER_CODE", "D0301");
    h.put("PRESCRIBER_NAME", "陈敏");
    h.put("DEPT", "全科");
    h.put("DIAGNOSIS", "高血压");
    h.put("WRITTEN_AT", Timestamp.valueOf("2026-11-21 09:30:00"));
    h.put("STATUS", "有效");
    h.put("UPDATED_AT", Timestamp.valueOf("2026-11-21 09:31:02.123456"));
    return h;
  }

  static Map<String, Object> item(int no, String code, String name, String usage, String frequency, String days) {
    Map<String, Object> i = new HashMap<>();
    i.put("prescription_no", "MZ20261121001");
    i.put("item_no", no);
    i.put("drug_code", code);
    i.put("drug_name", name);
    i.put("spec", "5mg");
    i.put("dosage_form", "片剂");
    i.put("usage", usage);
    i.put("frequency", frequency);
    i.put("dose", new BigDecimal("5.000"));
    i.put("dose_unit", "mg");
    i.put("days", days);
    i.put("quantity", new BigDecimal("28"));
    i.put("quantity_unit", "片");
    return i;
  }

  @Test
  void aPrescriptionWithTwoItemsBecomesTwoProfileShapedRequests() {
    IntermediatePrescription p = IntermediatePrescription.of(header(), List.of(
        item(1, "YP0002", "苯磺酸氨氯地平片", "口服", "qd", "28"),
        item(2, "YP0003", "阿托伐他汀钙片", "1", "qn", "14")));
    assertThat(p.key()).isEqualTo("MZ20261121001@2026-11-21T09:31:02.123456");

    RdeConversionResult result = CONVERTER.convert(p, CLINIC);
    assertThat(result.patient().getNameFirstRep().getText()).isEqualTo("刘强");
    assertThat(result.patient().getNameFirstRep().getFamily()).isEqualTo("刘");
    assertThat(result.patient().getGender()).isEqualTo(AdministrativeGender.MALE);
    assertThat(result.patient().getBirthDateElement().getValueAsString()).isEqualTo("1948-11-30");
    assertThat(result.patient().getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.RESIDENT_ID);
    assertThat(result.practitioners()).singleElement()
        .satisfies(pr -> assertThat(pr.getIdentifierFirstRep().getValue()).isEqualTo("D0301"));

    List<MedicationRequest> requests = result.medicationRequests();
    assertThat(requests).hasSize(2);
    MedicationRequest first = requests.get(0);
    assertThat(first.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.prescriptionNumberSystem(CLINIC));
    assertThat(first.getIdentifierFirstRep().getValue()).isEqualTo("MZ20261121001-1");
    assertThat(first.getGroupIdentifier().getValue()).isEqualTo("MZ20261121001");
    assertThat(first.getStatus()).isEqualTo(MedicationRequestStatus.ACTIVE);
    assertThat(first.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-21T09:30:00+08:00");
    assertThat(first.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("ordinary");
    assertThat(first.getReasonCodeFirstRep().getText()).isEqualTo("高血压");
    Medication drug = (Medication) first.getContained().get(0);
    assertThat(drug.getCode().getText()).isEqualTo("苯磺酸氨氯地平片");
    assertThat(drug.getCode().getCoding()).extracting(Coding::getSystem).contains(CodeSystems.localDrugSystem(CLINIC));
    // 片剂 is looked up in the national dosage form table (the Medication profile requires a form).
    assertThat(drug.getForm().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.DOSAGE_FORM);
    assertThat(drug.getForm().getCodingFirstRep().getCode()).isEqualTo("01");
    var dosage = first.getDosageInstructionFirstRep();
    // Route sent as its Chinese name is looked up in the national table.
    assertThat(dosage.getRoute().getCoding()).extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CodeSystems.ROUTE, "1"));
    assertThat(dosage.getTiming().getCode().getCodingFirstRep().getCode()).isEqualTo("qd");
    assertThat(dosage.getDoseAndRateFirstRep().getDoseQuantity().getValue()).isEqualByComparingTo("5");
    assertThat(first.getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("28");
    assertThat(first.getDispenseRequest().getQuantity().getUnit()).isEqualTo("片");
    assertThat(first.getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("28");
    assertThat(requests.get(1).getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("14");

    Bundle bundle = result.toTransactionBundle();
    assertThat(bundle.getEntry()).hasSize(4);
    assertThat(bundle.getEntry().get(2).getRequest().getUrl()).contains("MZ20261121001-1");
  }

  @Test
  void aCancelledRowCancelsTheRequestsAndStoredJsonReplaysToTheSameResult() {
    Map<String, Object> h = header();
    h.put("STATUS", "作废");
    IntermediatePrescription p = IntermediatePrescription.of(h, List.of(item(1, "YP0002", "苯磺酸氨氯地平片", "PO", "qd", "28")));
    IntermediatePrescription again = IntermediatePrescription.fromJson(p.toJson());
    assertThat(again).isEqualTo(p);
    MedicationRequest request = CONVERTER.convert(again, CLINIC).medicationRequests().get(0);
    assertThat(request.getStatus()).isEqualTo(MedicationRequestStatus.CANCELLED);
    // PO (HL7 table 0162) also works as usage.
    assertThat(request.getDosageInstructionFirstRep().getRoute().getCodingFirstRep().getCode()).isEqualTo("1");
  }

  @Test
  void errorsNameTheColumn() {
    Map<String, Object> badDose = item(1, "YP0002", "苯磺酸氨氯地平片", "口服", "qd", "28");
    badDose.put("dose", "五");
    assertThatThrownBy(() -> CONVERTER.convert(IntermediatePrescription.of(header(), List.of(badDose)), CLINIC))
        .isInstanceOf(IntermediateRowException.class)
        .satisfies(e -> assertThat(((IntermediateRowException) e).chineseMessage()).contains("dose", "MZ20261121001"));

    Map<String, Object> noPatient = header();
    noPatient.remove("RESIDENT_ID");
    noPatient.remove("PATIENT_NAME");
    assertThatThrownBy(() -> CONVERTER.convert(IntermediatePrescription.of(noPatient,
        List.of(item(1, "YP0002", "苯磺酸氨氯地平片", "口服", "qd", "28"))), CLINIC))
        .isInstanceOf(IntermediateRowException.class)
        .satisfies(e -> assertThat(((IntermediateRowException) e).chineseMessage()).contains("resident_id"));

    Map<String, Object> unknownStatus = header();
    unknownStatus.put("STATUS", "9");
    assertThatThrownBy(() -> CONVERTER.convert(IntermediatePrescription.of(unknownStatus,
        List.of(item(1, "YP0002", "苯磺酸氨氯地平片", "口服", "qd", "28"))), CLINIC))
        .isInstanceOf(IntermediateRowException.class)
        .hasMessageContaining("status");

    assertThatThrownBy(() -> CONVERTER.convert(IntermediatePrescription.of(header(), List.of()), CLINIC))
        .isInstanceOf(IntermediateRowException.class)
        .satisfies(e -> assertThat(((IntermediateRowException) e).chineseMessage()).contains("没有药品明细"));
  }

  @Test
  void watermarkOrderComparesTimeThenKey() {
    WatermarkStore.Watermark w = new WatermarkStore.Watermark(LocalDateTime.of(2026, 11, 21, 9, 0), "B");
    assertThat(w.isBefore(LocalDateTime.of(2026, 11, 21, 9, 0), "C")).isTrue();
    assertThat(w.isBefore(LocalDateTime.of(2026, 11, 21, 9, 0), "A")).isFalse();
    assertThat(w.isBefore(LocalDateTime.of(2026, 11, 21, 9, 1), "A")).isTrue();
  }

  private static ConceptMap conceptMap(String path) {
    try (InputStream in = IntermediateRowConverterTest.class.getClassLoader().getResourceAsStream(path)) {
      return FHIR.newJsonParser().parseResource(ConceptMap.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
