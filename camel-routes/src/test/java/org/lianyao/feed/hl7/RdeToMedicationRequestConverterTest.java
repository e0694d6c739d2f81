package org.lianyao.feed.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Timing.UnitsOfTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.lianyao.feed.hl7.Hl7Fixtures.Encoding;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

class RdeToMedicationRequestConverterTest {

  private static final String RX_SYSTEM = IdentifierSystems.prescriptionNumberSystem("H50011200001");

  private final Hl7Parsing parsing = new Hl7Parsing();
  private final RdeToMedicationRequestConverter converter = new RdeToMedicationRequestConverter(Hl7Fixtures.CONFIG);

  private RdeConversionResult convert(byte[] raw) throws Hl7ConversionException {
    return converter.convert(parsing.parse(raw));
  }

  private RdeConversionResult convert(Encoding encoding, String name) throws Hl7ConversionException {
    return convert(Hl7Fixtures.bytes(encoding, name));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void chineseNamesSurviveByteForByte(Encoding encoding) throws Exception {
    byte[] raw = Hl7Fixtures.bytes(encoding, "rde-o11-v24");
    RdeConversionResult result = convert(raw);

    String patientName = result.patient().getNameFirstRep().getText();
    assertThat(patientName).isEqualTo("张伟");
    assertThat(raw).containsSequence(patientName.getBytes(encoding.charset));
    String prescriber = result.practitioners().get(0).getNameFirstRep().getText();
    assertThat(prescriber).isEqualTo("张建国");
    assertThat(raw).containsSequence(prescriber.getBytes(encoding.charset));
    for (MedicationRequest request : result.medicationRequests()) {
      String drug = medication(request).getCode().getText();
      assertThat(raw).containsSequence(drug.getBytes(encoding.charset));
    }
    assertThat(result.medicationRequests()).extracting(r -> medication(r).getCode().getText())
        .containsExactly("盐酸二甲双胍片", "苯磺酸氨氯地平片");
  }

  @Test
  void bothEncodingsGiveTheSameBundle() throws Exception {
    for (String name : List.of("rde-o11-v24", "rde-o11-v25", "rde-o25", "rde-o11-no-resident-id")) {
      String gb = json(convert(Encoding.GB18030, name).toTransactionBundle());
      String utf8 = json(convert(Encoding.UTF8, name).toTransactionBundle());
      assertThat(gb).as(name).isEqualTo(utf8);
    }
  }

  @Test
  void v24PatientPrescriberAndOrdersAreMapped() throws Exception {
    RdeConversionResult result = convert(Encoding.GB18030, "rde-o11-v24");
    assertThat(result.sendingInstitution()).isEqualTo("H50011200001");
    assertThat(result.controlId()).isEqualTo("RDE20261120093015001");
    assertThat(result.warnings()).isEmpty();

    Patient patient = result.patient();
    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.RESIDENT_ID);
    assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("500112195603120119");
    assertThat(patient.getIdentifier().get(1).getSystem())
        .isEqualTo(IdentifierSystems.localRecordNumberSystem("H50011200001"));
    assertThat(patient.getIdentifier().get(1).getValue()).isEqualTo("MZ00012345");
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("张");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("伟");
    assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1956-03-12");
    assertThat(patient.getGender()).isEqualTo(AdministrativeGender.MALE);
    assertThat(patient.getMeta().getTag()).isEmpty();

    assertThat(result.practitioners()).singleElement().satisfies(p -> {
      assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.practitionerCodeSystem("H50011200001"));
      assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo("D0101");
    });

    MedicationRequest metformin = result.medicationRequests().get(0);
    assertThat(metformin.getStatus()).isEqualTo(MedicationRequestStatus.ACTIVE);
    assertThat(metformin.getIntent()).isEqualTo(MedicationRequest.MedicationRequestIntent.ORDER);
    Identifier placer = metformin.getIdentifierFirstRep();
    assertThat(placer.getSystem()).isEqualTo(RX_SYSTEM);
    assertThat(placer.getValue()).isEqualTo("CF2026112000010001");
    assertThat(placer.getType().getCodingFirstRep().getCode()).isEqualTo("PLAC");
    assertThat(placer.getAssigner().getIdentifier().getValue()).isEqualTo("H50011200001");
    assertThat(metformin.getGroupIdentifier().getValue()).isEqualTo("CF20261120000100");
    assertThat(metformin.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-20T09:28:00+08:00");
    Reference institution = (Reference) metformin.getExtensionByUrl(Extensions.PRESCRIBING_INSTITUTION).getValue();
    assertThat(institution.getReference())
        .isEqualTo("Organization?identifier=" + IdentifierSystems.NHSA_INSTITUTION_CODE + "|H50011200001");
    assertThat(institution.getIdentifier().getValue()).isEqualTo("H50011200001");

    Medication medication = medication(metformin);
    assertThat(medication.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
        org.assertj.core.groups.Tuple.tuple(IdentifierSystems.NHSA_DRUG_CODE, "XA10BAE021A010010201650"),
        org.assertj.core.groups.Tuple.tuple(CodeSystems.localDrugSystem("H50011200001"), "YP0001"));
    assertThat(medication.getExtensionString(Extensions.MEDICATION_STRENGTH)).isEqualTo("0.5g");
    assertThat(medication.getForm().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.DOSAGE_FORM);
    assertThat(metformin.getMeta().getTag()).isEmpty();

    // RXE-1 (v2.4 TQ): BID, D14, start date
    Dosage dosage = metformin.getDosageInstructionFirstRep();
    Timing timing = dosage.getTiming();
    assertThat(timing.getRepeat().getFrequency()).isEqualTo(2);
    assertThat(timing.getRepeat().getPeriod()).isEqualByComparingTo("1");
    assertThat(timing.getRepeat().getPeriodUnit()).isEqualTo(UnitsOfTime.D);
    assertThat(timing.getRepeat().getBoundsPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-20");
    assertThat(timing.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
        org.assertj.core.groups.Tuple.tuple(CodeSystems.HIS_FREQUENCY, "bid"),
        org.assertj.core.groups.Tuple.tuple(CodeSystems.FREQUENCY, "1"));
    assertThat(dosage.getText()).isEqualTo("餐中或餐后服用");
    // PO (HL7 table 0162) → national 1 口服; the v2 coding is not kept (see DosageMapper).
    assertThat(dosage.getRoute().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
        org.assertj.core.groups.Tuple.tuple(CodeSystems.ROUTE, "1"));
    assertThat(dosage.getRoute().getText()).isEqualTo("口服");
    assertThat(metformin.getCategoryFirstRep().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CodeSystems.PRESCRIPTION_CATEGORY, "ordinary", "普通"));
    assertThat(metformin.getGroupIdentifier().getType().getCoding()).isEmpty();
    assertThat(metformin.getGroupIdentifier().getType().getText()).isEqualTo("处方号");
    assertThat(dosage.getDoseAndRateFirstRep().getDoseQuantity().getValue()).isEqualByComparingTo("0.5");
    assertThat(dosage.getDoseAndRateFirstRep().getDoseQuantity().getCode()).isEqualTo("g");
    assertThat(metformin.getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("28");
    assertThat(metformin.getDispenseRequest().getQuantity().getUnit()).isEqualTo("片");
    assertThat(metformin.getDispenseRequest().getNumberOfRepeatsAllowed()).isZero();
    assertThat(metformin.getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("14");
    assertThat(metformin.getDispenseRequest().getExpectedSupplyDuration().getCode()).isEqualTo("d");
    assertThat(metformin.getReasonCodeFirstRep().getText()).isEqualTo("2型糖尿病");

    // The second order sends the national route code directly.
    MedicationRequest amlodipine = result.medicationRequests().get(1);
    assertThat(amlodipine.getDosageInstructionFirstRep().getRoute().getCoding())
        .extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CodeSystems.ROUTE, "1"));
    assertThat(amlodipine.getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("28");
  }

  @Test
  void v25Tq1TimingCompoundSurnameAndPrnAreMapped() throws Exception {
    RdeConversionResult result = convert(Encoding.UTF8, "rde-o11-v25");
    assertThat(result.patient().getNameFirstRep().getFamily()).isEqualTo("欧阳");
    assertThat(result.patient().getNameFirstRep().getGivenAsSingleString()).isEqualTo("秀英");
    assertThat(result.patient().getGender()).isEqualTo(AdministrativeGender.FEMALE);

    MedicationRequest atorvastatin = result.medicationRequests().get(0);
    Timing qn = atorvastatin.getDosageInstructionFirstRep().getTiming();
    // The explicit 21:00 replaces qn's generic NIGHT (FHIR tim-10: timeOfDay excludes when).
    assertThat(qn.getRepeat().getWhen()).isEmpty();
    assertThat(qn.getRepeat().getTimeOfDay()).extracting(t -> t.getValue()).containsExactly("21:00:00");
    // qn maps to national hs only inexactly: no national coding, the Timing carries the meaning.
    assertThat(qn.getCode().getCoding()).extracting(Coding::getSystem).containsExactly(CodeSystems.HIS_FREQUENCY);
    assertThat(atorvastatin.getDispenseRequest().getExpectedSupplyDuration().getValue()).isEqualByComparingTo("28");

    MedicationRequest mixture = result.medicationRequests().get(1);
    Dosage prn = mixture.getDosageInstructionFirstRep();
    assertThat(prn.getAsNeededCodeableConcept().getText()).isEqualTo("咳嗽时");
    assertThat(prn.getTiming().getRepeat().getFrequency()).isEqualTo(3);
    assertThat(prn.getTiming().getCode().getCoding()).extracting(Coding::getCode).containsExactly("tid");
    assertThat(prn.getTiming().getRepeat().getBoundsPeriod().getEndElement().getValueAsString()).isEqualTo("2026-11-27");
    assertThat(prn.getDoseAndRateFirstRep().getDoseQuantity().getCode()).isEqualTo("mL");
    assertThat(mixture.getNoteFirstRep().getText()).isEqualTo("院内制剂，仅限本院使用");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void anUnmatchedDrugIsKeptWithItsLocalCodingAndTagged(Encoding encoding) throws Exception {
    RdeConversionResult result = convert(encoding, "rde-o11-v25");
    MedicationRequest mixture = result.medicationRequests().get(1);
    Medication medication = medication(mixture);
    assertThat(medication.getCode().getText()).isEqualTo("复方枇杷止咳合剂（院内制剂）");
    assertThat(medication.getCode().getCoding()).singleElement().satisfies(c -> {
      assertThat(c.getSystem()).isEqualTo(CodeSystems.localDrugSystem("H50011200001"));
      assertThat(c.getCode()).isEqualTo("YP9001");
      assertThat(c.getDisplay()).isEqualTo("复方枇杷止咳合剂（院内制剂）");
    });
    assertThat(mixture.getMeta().getTag()).singleElement().satisfies(tag -> {
      assertThat(tag.getSystem()).isEqualTo(CodeSystems.DATA_QUALITY);
      assertThat(tag.getCode()).isEqualTo(CodeSystems.DataQuality.UNMATCHED_DRUG);
    });
    // The Medication profile wants the tag on the Medication itself.
    assertThat(medication.getMeta().getTag()).extracting(Coding::getCode)
        .containsExactly(CodeSystems.DataQuality.UNMATCHED_DRUG);
    assertThat(result.medicationRequests().get(0).getMeta().getTag()).isEmpty();
    assertThat(medication(result.medicationRequests().get(0)).getMeta().getTag()).isEmpty();
    assertThat(result.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code().getCode()).isEqualTo(103);
      assertThat(w.where()).isEqualTo("RXE[2]-2.1");
      assertThat(w.chinese()).contains("YP9001");
    });
  }

  @Test
  void rdeO25RefillIsAnActiveOrderWithRefills() throws Exception {
    RdeConversionResult result = convert(Encoding.GB18030, "rde-o25");
    assertThat(result.triggerEvent()).isEqualTo("O25");
    assertThat(result.orders()).singleElement().satisfies(order -> {
      assertThat(order.orderControl()).isEqualTo(OrderControl.RF);
      MedicationRequest request = order.medicationRequest();
      assertThat(request.getStatus()).isEqualTo(MedicationRequestStatus.ACTIVE);
      assertThat(request.getDispenseRequest().getNumberOfRepeatsAllowed()).isEqualTo(2);
      assertThat(request.getDosageInstructionFirstRep().getText()).isEqualTo("每日早晨服用");
      assertThat(request.getDosageInstructionFirstRep().getTiming().getRepeat().getTimeOfDay())
          .extracting(t -> t.getValue()).containsExactly("08:00:00");
    });
    // Resident ID recognised from the assigning authority 身份证 alone.
    assertThat(result.patient().getIdentifierFirstRep().getValue()).isEqualTo("500112196107250146");
  }

  @ParameterizedTest
  @CsvSource({"NW,ACTIVE", "CA,CANCELLED", "DC,STOPPED", "XO,ACTIVE"})
  void orderControlGivesTheStatus(String control, MedicationRequestStatus status) throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "ORC|NW|", "ORC|" + control + "|");
    RdeConversionResult result = convert(raw);
    assertThat(result.orders()).hasSize(2).allSatisfy(order -> {
      assertThat(order.orderControl().name()).isEqualTo(control);
      assertThat(order.medicationRequest().getStatus()).isEqualTo(status);
    });
  }

  @Test
  void aCancellationCarriesItsReason() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "ORC|RF|CF2026112200030001^H50011200001||CF20261122000300^H50011200001|||||20261122082500|||D0103^王志强^^^^^^^H50011200001",
        "ORC|CA|CF2026112200030001^H50011200001||CF20261122000300^H50011200001|||||20261122082500|||D0103^王志强^^^^^^^H50011200001||||^患者要求取消");
    MedicationRequest request = convert(raw).medicationRequests().get(0);
    assertThat(request.getStatus()).isEqualTo(MedicationRequestStatus.CANCELLED);
    assertThat(request.getStatusReason().getText()).isEqualTo("患者要求取消");
  }

  @ParameterizedTest
  @CsvSource({"HD", "SC", "ZZ"})
  void otherOrderControlsAreRejectedWith103AtOrc1(String control) {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "ORC|NW|", "ORC|" + control + "|");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(103);
      assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AE);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("ORC");
      assertThat(e.getLocation().getSegmentRepetition()).isEqualTo(1);
      assertThat(e.getLocation().getField()).isEqualTo(1);
      assertThat(e.chineseMessage()).contains(control);
    });
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aMissingPidIsError101AtPid(Encoding encoding) {
    assertThatThrownBy(() -> convert(encoding, "rde-o11-missing-pid"))
        .isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(101);
          assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AE);
          assertThat(e.getLocation().getSegmentName()).isEqualTo("PID");
          assertThat(e.chineseMessage()).contains("PID");
        });
  }

  @Test
  void aPidWithoutIdentifiersIsError101AtPid3() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "PID|1||500112196107250146^^^身份证||", "PID|1||||");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(101);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("PID");
      assertThat(e.getLocation().getField()).isEqualTo(3);
    });
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aPatientWithoutResidentIdIsTaggedUnlinkable(Encoding encoding) throws Exception {
    RdeConversionResult result = convert(encoding, "rde-o11-no-resident-id");
    Patient patient = result.patient();
    assertThat(patient.getMeta().getTag()).singleElement().satisfies(tag -> {
      assertThat(tag.getSystem()).isEqualTo(CodeSystems.DATA_QUALITY);
      assertThat(tag.getCode()).isEqualTo(CodeSystems.DataQuality.UNLINKABLE_PATIENT);
    });
    assertThat(patient.getIdentifier()).singleElement().satisfies(id -> {
      assertThat(id.getSystem()).isEqualTo(IdentifierSystems.localRecordNumberSystem("H50011200001"));
      assertThat(id.getValue()).isEqualTo("MZ00045678");
    });
    // Names whose GBK second byte is '|' (珅) or '\' (昞) come through intact.
    assertThat(patient.getNameFirstRep().getText()).isEqualTo("李珅");
    assertThat(result.practitioners().get(0).getNameFirstRep().getText()).isEqualTo("赵昞");
    Bundle bundle = result.toTransactionBundle();
    assertThat(bundle.getEntryFirstRep().getRequest().getIfNoneExist())
        .isEqualTo("identifier=" + IdentifierSystems.localRecordNumberSystem("H50011200001") + "|MZ00045678");
  }

  @Test
  void anInvalidResidentIdIsDroppedWithAWarning() throws Exception {
    // Last character changed: the GB 11643 check fails.
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "500112195603120119^^^^ID", "500112195603120118^^^^ID");
    RdeConversionResult result = convert(raw);
    assertThat(result.patient().getIdentifier()).extracting(Identifier::getSystem)
        .doesNotContain(IdentifierSystems.RESIDENT_ID);
    assertThat(result.patient().getMeta().getTag()).extracting(Coding::getCode)
        .containsExactly(CodeSystems.DataQuality.UNLINKABLE_PATIENT);
    assertThat(result.warnings()).extracting(w -> w.code().getCode()).contains(102, 101);
    assertThat(result.warnings().get(0).where()).isEqualTo("PID-3.1");
    assertThat(result.warnings().get(0).chinese()).contains("500112").doesNotContain("500112195603120118");
  }

  @Test
  void aResidentIdInPid19IsUsedWhenPid3HasNone() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-no-resident-id", "|19900101|M",
        "|19900101|M|||||||||||500112198503050022");
    Patient patient = convert(raw).patient();
    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.RESIDENT_ID);
    assertThat(patient.getMeta().getTag()).isEmpty();
  }

  @Test
  void timingVariantsResolveThroughTheFrequencyTables() throws Exception {
    Map<String, Timing> timings = new java.util.LinkedHashMap<>();
    for (String pattern : List.of("Q4H", "STAT", "q.d.", "QOD", "BIW", "Q6H", "3ID", "Q3D")) {
      byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "TQ1|1||QD|", "TQ1|1||" + pattern + "|");
      RdeConversionResult result = convert(raw);
      assertThat(result.warnings()).as(pattern).isEmpty();
      timings.put(pattern, result.medicationRequests().get(0).getDosageInstructionFirstRep().getTiming());
    }
    assertThat(timings.get("Q4H").getRepeat().getPeriod()).isEqualByComparingTo("4");
    assertThat(timings.get("Q4H").getRepeat().getPeriodUnit()).isEqualTo(UnitsOfTime.H);
    assertThat(timings.get("Q4H").getCode().getCoding()).extracting(Coding::getSystem)
        .containsExactly(CodeSystems.HIS_FREQUENCY); // national table has no q4h
    assertThat(timings.get("STAT").getRepeat().getCount()).isEqualTo(1);
    assertThat(timings.get("STAT").getCode().getCoding()).extracting(Coding::getCode).containsExactly("st", "13");
    assertThat(timings.get("q.d.").getCode().getCoding()).extracting(Coding::getCode).containsExactly("qd", "9");
    assertThat(timings.get("QOD").getRepeat().getPeriod()).isEqualByComparingTo("2");
    assertThat(timings.get("BIW").getRepeat().getPeriodUnit()).isEqualTo(UnitsOfTime.WK);
    assertThat(timings.get("Q6H").getCode().getCoding()).extracting(Coding::getCode).containsExactly("q6h", "7");
    assertThat(timings.get("3ID").getCode().getCoding()).extracting(Coding::getCode).containsExactly("tid");
    // Not in the table, but a well-formed HL7 0335 interval.
    assertThat(timings.get("Q3D").getRepeat().getPeriod()).isEqualByComparingTo(new BigDecimal(3));
    assertThat(timings.get("Q3D").getCode().getCoding()).isEmpty();
  }

  @Test
  void prnAsPatternGivesAsNeededWithoutAFixedRate() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "TQ1|1||QD|", "TQ1|1||PRN|");
    Dosage dosage = convert(raw).medicationRequests().get(0).getDosageInstructionFirstRep();
    assertThat(dosage.getAsNeededBooleanType().booleanValue()).isTrue();
    assertThat(dosage.getTiming().getRepeat().hasFrequency()).isFalse();
  }

  @Test
  void anUnknownFrequencyIsKeptAsTextWithAWarning() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "TQ1|1||QD|", "TQ1|1||每日三次饭后|");
    RdeConversionResult result = convert(raw);
    Timing timing = result.medicationRequests().get(0).getDosageInstructionFirstRep().getTiming();
    assertThat(timing.getCode().getText()).isEqualTo("每日三次饭后");
    assertThat(timing.getCode().getCoding()).isEmpty();
    assertThat(result.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code().getCode()).isEqualTo(103);
      assertThat(w.where()).isEqualTo("TQ1-3.1");
    });
  }

  @Test
  void anUnlistedHl7RouteGetsTheNationalDefaultWithAWarning() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "RXR|PO^口服^HL70162", "RXR|XYZ^其他^HL70162");
    RdeConversionResult result = convert(raw);
    assertThat(result.medicationRequests().get(0).getDosageInstructionFirstRep().getRoute().getCoding())
        .extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CodeSystems.ROUTE, CodeSystems.Route.OTHER));
    assertThat(result.warnings()).singleElement().satisfies(w -> assertThat(w.where()).isEqualTo("RXR-1.1"));
  }

  @Test
  void senderSuppliedNhsaCodeIsUsedWhenTheMapHasNone() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v25", "YP9001^复方枇杷止咳合剂（院内制剂）^L",
        "YP9001^复方枇杷止咳合剂（院内制剂）^L^ZR05DAA001B002010100001^复方枇杷止咳合剂^NHSA");
    MedicationRequest mixture = convert(raw).medicationRequests().get(1);
    assertThat(medication(mixture).getCode().getCodingFirstRep().getCode()).isEqualTo("ZR05DAA001B002010100001");
    assertThat(mixture.getMeta().getTag()).isEmpty();
  }

  @Test
  void duplicatePlacerNumbersInOneMessageAre205() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "CF2026112000010002^", "CF2026112000010001^");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(205);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("ORC");
      assertThat(e.getLocation().getSegmentRepetition()).isEqualTo(2);
      assertThat(e.getLocation().getField()).isEqualTo(2);
    });
  }

  @Test
  void anUnknownSendingFacilityIs204AndAnAliasResolvesIt() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "|HIS|H50011200001|", "|HIS|RMYY|");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(204);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("MSH");
      assertThat(e.getLocation().getField()).isEqualTo(4);
    });
    RdeConversionResult aliased = new RdeToMedicationRequestConverter(
        Hl7Fixtures.CONFIG.withFacilityAliases(Map.of("RMYY", "H50011200001"))).convert(parsing.parse(raw));
    assertThat(aliased.sendingInstitution()).isEqualTo("H50011200001");
  }

  @Test
  void wrongMessageTypeIs200AndWrongEventIs201BothAnsweredWithAr() throws Exception {
    ParsedMessage rds = parsing.parse(Hl7Fixtures.bytes(Encoding.UTF8, "rds-o13"));
    assertThatThrownBy(() -> converter.convert(rds)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(200);
      assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AR);
    });
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "RDE^O25^RDE_O11", "RDE^O99^RDE_O11");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(201);
      assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AR);
    });
  }

  @Test
  void aBadDateIs102WithItsLocation() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "|20261122082500|", "|20261322082500|");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(102);
      assertThat(Locations.describe(e.getLocation())).isEqualTo("ORC-9");
    });
  }

  @Test
  void theTransactionBundleIsIdempotentByConstruction() throws Exception {
    RdeConversionResult result = convert(Encoding.GB18030, "rde-o11-v24");
    Bundle bundle = result.toTransactionBundle();
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(bundle.getEntry()).hasSize(4);

    BundleEntryComponent patient = bundle.getEntry().get(0);
    assertThat(patient.getRequest().getMethod()).isEqualTo(HTTPVerb.POST);
    assertThat(patient.getRequest().getIfNoneExist())
        .isEqualTo("identifier=urn:oid:2.16.156.10011.1.3|500112195603120119");
    BundleEntryComponent practitioner = bundle.getEntry().get(1);
    assertThat(practitioner.getRequest().getIfNoneExist())
        .isEqualTo("identifier=" + IdentifierSystems.practitionerCodeSystem("H50011200001") + "|D0101");
    BundleEntryComponent order = bundle.getEntry().get(2);
    assertThat(order.getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
    assertThat(order.getRequest().getUrl())
        .isEqualTo("MedicationRequest?identifier=" + RX_SYSTEM + "|CF2026112000010001");
    MedicationRequest request = (MedicationRequest) order.getResource();
    assertThat(request.getSubject().getReference()).isEqualTo(patient.getFullUrl());
    assertThat(request.getRequester().getReference()).isEqualTo(practitioner.getFullUrl());

    // Same message, same bundle: resubmission produces identical conditional requests and fullUrls.
    assertThat(json(convert(Encoding.GB18030, "rde-o11-v24").toTransactionBundle())).isEqualTo(json(bundle));
    // The bundle round-trips through HAPI's parser.
    Bundle parsed = Hl7Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, json(bundle));
    assertThat(parsed.getEntry()).hasSize(4);
  }

  @Test
  void matchUrlsPercentEncodeAwkwardValues() {
    assertThat(TransactionBundles.identifierQuery("http://x/sid", "A&B #1+2"))
        .isEqualTo("identifier=http://x/sid|A%26B%20%231%2B2");
    assertThat(TransactionBundles.identifierQuery("urn:oid:1.2", "处方1")).isEqualTo("identifier=urn:oid:1.2|%E5%A4%84%E6%96%B91");
    // FHIR token escaping before percent-encoding: \| and \, stay part of the value.
    assertThat(TransactionBundles.identifierQuery("http://x/sid", "A|B,C")).isEqualTo("identifier=http://x/sid|A%5C%7CB%5C%2CC");
  }

  private static Medication medication(MedicationRequest request) {
    assertThat(request.getMedicationReference().getReference()).isEqualTo("#med");
    return (Medication) request.getContained().get(0);
  }

  private static String json(Bundle bundle) {
    return Hl7Fixtures.FHIR.newJsonParser().encodeResourceToString(bundle);
  }
}
