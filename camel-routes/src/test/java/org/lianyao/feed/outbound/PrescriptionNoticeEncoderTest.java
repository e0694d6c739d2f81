package org.lianyao.feed.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.IdentifierSystems;

class PrescriptionNoticeEncoderTest {

  private static final Charset GB18030 = Charset.forName("GB18030");
  private final PrescriptionNoticeEncoder encoder = new PrescriptionNoticeEncoder("LY", "LIANYAO");

  private static MedicationRequest extension(MedicationRequestStatus status) {
    MedicationRequest mr = new MedicationRequest();
    mr.setId("MedicationRequest/42");
    mr.setStatus(status);
    mr.addIdentifier(new Identifier().setSystem(IdentifierSystems.prescriptionNumberSystem("H50011200004"))
        .setValue("YS0001"));
    mr.setMedication(new CodeableConcept().setText("苯磺酸氨氯地平片")
        .addCoding(new Coding(IdentifierSystems.NHSA_DRUG_CODE, "XC08CAA148A001010100443", "苯磺酸氨氯地平片")));
    mr.setAuthoredOnElement(new DateTimeType("2026-11-21T09:30:00+08:00"));
    mr.setRequester(new Reference().setDisplay("周大山"));
    mr.getDispenseRequest().setQuantity(new Quantity().setValue(28).setUnit("片"));
    return mr;
  }

  private static Patient patient() {
    Patient p = new Patient();
    p.addIdentifier(new Identifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue("500112195603120119"));
    p.addName(new HumanName().setText("张伟"));
    p.setGender(AdministrativeGender.MALE);
    return p;
  }

  @Test
  void anExtensionNoticeNamesTheOriginalAndKeepsChineseTextInTheChannelCharset() {
    Identifier original = new Identifier().setSystem(IdentifierSystems.prescriptionNumberSystem("H50011200001"))
        .setValue("CF0001");
    PrescriptionNoticeEncoder.Encoded encoded = encoder.encode(new PrescriptionNotice(PrescriptionNotice.Kind.EXTENSION,
        "H50011200001", "H50011200004", extension(MedicationRequestStatus.ACTIVE), true, patient(), original), GB18030);
    String text = new String(encoded.bytes(), GB18030);
    assertThat(encoded.charset()).isEqualTo(GB18030);
    assertThat(text).startsWith("MSH|^~\\&|LIANYAO|LIANYAO|HIS|H50011200001|");
    assertThat(text).contains("RDE^O11^RDE_O11|" + encoded.controlId() + "|P|2.5.1", "GB 18030-2000");
    String[] segments = text.split("\r");
    String orc = java.util.Arrays.stream(segments).filter(s -> s.startsWith("ORC|")).findFirst().orElseThrow();
    String[] fields = orc.split("\\|", -1);
    assertThat(fields[1]).isEqualTo("NW");
    assertThat(fields[2]).isEqualTo("YS0001^H50011200004");
    assertThat(fields[3]).isEqualTo("MedicationRequest/42^LIANYAO");
    // ORC-8 is EIP: the placer number is EIP-1 (an EI), so its parts are subcomponents.
    assertThat(fields[8]).isEqualTo("CF0001&H50011200001");
    assertThat(text).contains("PID|1||500112195603120119^^^^NNCHN||张伟|||M", "XC08CAA148A001010100443^苯磺酸氨氯地平片^NHSA",
        "联药通知：H50011200004 已开具贵院处方 CF0001 的延伸处方 YS0001");
  }

  @Test
  void endedOriginalAndCancelledExtensionUseCaAndDc() {
    assertThat(PrescriptionNoticeEncoder.orderControl(new PrescriptionNotice(PrescriptionNotice.Kind.ORIGINAL_ENDED,
        "H50011200004", "H50011200001", extension(MedicationRequestStatus.CANCELLED), false, null, null))).isEqualTo("CA");
    assertThat(PrescriptionNoticeEncoder.orderControl(new PrescriptionNotice(PrescriptionNotice.Kind.EXTENSION,
        "H50011200001", "H50011200004", extension(MedicationRequestStatus.STOPPED), false, null, null))).isEqualTo("DC");
    assertThat(PrescriptionNoticeEncoder.orderControl(new PrescriptionNotice(PrescriptionNotice.Kind.EXTENSION,
        "H50011200001", "H50011200004", extension(MedicationRequestStatus.ACTIVE), false, null, null))).isEqualTo("XO");
    PrescriptionNoticeEncoder.Encoded utf8 = encoder.encode(new PrescriptionNotice(PrescriptionNotice.Kind.ORIGINAL_ENDED,
        "H50011200004", "H50011200001", extension(MedicationRequestStatus.CANCELLED), false, patient(), null),
        StandardCharsets.UTF_8);
    assertThat(new String(utf8.bytes(), StandardCharsets.UTF_8)).contains("UNICODE UTF-8", "贵院据此开具的延伸处方请复核");
  }
}
