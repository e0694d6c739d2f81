package org.lianyao.feed.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationDispense.MedicationDispenseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lianyao.feed.hl7.Hl7Fixtures.Encoding;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

class RdsToMedicationDispenseConverterTest {

  private final Hl7Parsing parsing = new Hl7Parsing();
  private final RdsToMedicationDispenseConverter converter = new RdsToMedicationDispenseConverter(Hl7Fixtures.CONFIG);

  private RdsConversionResult convert(byte[] raw) throws Hl7ConversionException {
    return converter.convert(parsing.parse(raw));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void dispensesWithTraceabilityCodesAreMapped(Encoding encoding) throws Exception {
    byte[] raw = Hl7Fixtures.bytes(encoding, "rds-o13");
    RdsConversionResult result = convert(raw);
    assertThat(result.sendingInstitution()).isEqualTo("H50011200003");
    assertThat(result.warnings()).isEmpty();
    assertThat(result.patient().getNameFirstRep().getText()).isEqualTo("刘强");
    assertThat(raw).containsSequence("刘强".getBytes(encoding.charset));
    assertThat(result.dispenses()).hasSize(2);

    MedicationDispense amlodipine = result.dispenses().get(0);
    assertThat(amlodipine.getStatus()).isEqualTo(MedicationDispenseStatus.COMPLETED);
    Identifier key = amlodipine.getIdentifierFirstRep();
    assertThat(key.getSystem()).isEqualTo(RdsToMedicationDispenseConverter.dispenseNumberSystem("H50011200003"));
    assertThat(key.getValue()).isEqualTo("FY2026112100040001-1");
    Reference institution = (Reference) amlodipine.getExtensionByUrl(Extensions.DISPENSING_INSTITUTION).getValue();
    assertThat(institution.getIdentifier().getValue()).isEqualTo("H50011200003");

    // A county-hospital prescription (延伸处方): its number stays in the county hospital's system.
    assertThat(amlodipine.getAuthorizingPrescriptionFirstRep().getReference()).isNull();
    Identifier prescription = amlodipine.getAuthorizingPrescriptionFirstRep().getIdentifier();
    assertThat(prescription.getSystem()).isEqualTo(IdentifierSystems.prescriptionNumberSystem("H50011200001"));
    assertThat(prescription.getValue()).isEqualTo("CF2026112000040001");

    Medication medication = (Medication) amlodipine.getContained().get(0);
    assertThat(amlodipine.getMedicationReference().getReference()).isEqualTo("#med");
    assertThat(medication.getCode().getText()).isEqualTo("苯磺酸氨氯地平片");
    assertThat(medication.getCode().getCoding().get(1).getSystem()).isEqualTo(CodeSystems.localDrugSystem("H50011200003"));
    assertThat(medication.getBatch().getLotNumber()).isEqualTo("B2026091");
    assertThat(medication.getBatch().getExpirationDateElement().getValueAsString()).isEqualTo("2028-10-31");
    assertThat(medication.getManufacturer().getDisplay()).isEqualTo("浙江京新药业股份有限公司");
    assertThat(amlodipine.getQuantity().getValue()).isEqualByComparingTo("28");
    assertThat(amlodipine.getQuantity().getUnit()).isEqualTo("片");
    assertThat(amlodipine.getWhenHandedOverElement().getValueAsString()).isEqualTo("2026-11-21T15:00:00+08:00");
    assertThat(amlodipine.getDaysSupply().getValue()).isEqualByComparingTo("28");
    assertThat(amlodipine.getSubstitution().getWasSubstituted()).isFalse();
    assertThat(amlodipine.getPerformerFirstRep().getActor().getDisplay()).isEqualTo("孙丽");
    assertThat(result.practitioners()).singleElement().satisfies(p ->
        assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo(IdentifierSystems.practitionerCodeSystem("H50011200003")));

    List<Extension> codes = amlodipine.getExtensionsByUrl(Extensions.TRACEABILITY_CODE);
    assertThat(codes).extracting(e -> ((Identifier) e.getValue()).getValue())
        .containsExactly("81234567890123456789", "81234567890123456790");
    assertThat(codes).allSatisfy(e -> {
      Identifier code = (Identifier) e.getValue();
      assertThat(code.getSystem()).isEqualTo(IdentifierSystems.TRACEABILITY_CODE);
      assertThat(code.getType().getText()).isEqualTo("小码");
    });
    assertThat(((BooleanType) amlodipine.getExtensionByUrl(Extensions.SPLIT_PACK).getValue()).booleanValue()).isFalse();

    MedicationDispense atorvastatin = result.dispenses().get(1);
    assertThat(atorvastatin.getExtensionsByUrl(Extensions.TRACEABILITY_CODE)).singleElement()
        .satisfies(e -> assertThat(((Identifier) e.getValue()).getValue()).isEqualTo("(01)06901234567892(21)A1B2C3D4E5"));
    assertThat(((BooleanType) atorvastatin.getExtensionByUrl(Extensions.SPLIT_PACK).getValue()).booleanValue()).isTrue();
    assertThat(atorvastatin.getDaysSupply().getValue()).isEqualByComparingTo("7"); // TQ1-13 = 1 wk
  }

  @Test
  void theTransactionUpdatesDispensesOnTheirDispenseNumber() throws Exception {
    Bundle bundle = convert(Hl7Fixtures.bytes(Encoding.GB18030, "rds-o13")).toTransactionBundle();
    assertThat(bundle.getEntry()).hasSize(4);
    assertThat(bundle.getEntry().get(0).getRequest().getIfNoneExist())
        .isEqualTo("identifier=urn:oid:2.16.156.10011.1.3|500112194811300179");
    assertThat(bundle.getEntry().get(2).getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
    assertThat(bundle.getEntry().get(2).getRequest().getUrl()).isEqualTo("MedicationDispense?identifier="
        + RdsToMedicationDispenseConverter.dispenseNumberSystem("H50011200003") + "|FY2026112100040001-1");
    MedicationDispense dispense = (MedicationDispense) bundle.getEntry().get(2).getResource();
    assertThat(dispense.getSubject().getReference()).isEqualTo(bundle.getEntry().get(0).getFullUrl());
    assertThat(dispense.getPerformerFirstRep().getActor().getReference()).isEqualTo(bundle.getEntry().get(1).getFullUrl());
  }

  @Test
  void withoutFillerNumberTheKeyIsTheIssuersPlacerNumberAndCounter() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "|FY2026112100040001^H50011200003|", "||");
    MedicationDispense dispense = convert(raw).dispenses().get(0);
    assertThat(dispense.getIdentifierFirstRep().getValue()).isEqualTo("H50011200001:CF2026112000040001-1");
  }

  @Test
  void aReturnIsACancelledDispense() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "ORC|RE|CF2026112000040001", "ORC|CA|CF2026112000040001");
    assertThat(convert(raw).dispenses().get(0).getStatus()).isEqualTo(MedicationDispenseStatus.CANCELLED);
  }

  @Test
  void anInvalidTraceabilityCodeIs102AtItsZtc() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "ZTC|2|81234567890123456790|", "ZTC|2|8123456789012345679|");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(102);
      assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AE);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("ZTC");
      assertThat(e.getLocation().getSegmentRepetition()).isEqualTo(2);
      assertThat(e.getLocation().getField()).isEqualTo(2);
      assertThat(e.chineseMessage()).contains("追溯码");
    });
  }

  @Test
  void aGs1CodeWithAWrongGtinCheckDigitIsRejected() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "(01)06901234567892", "(01)06901234567893");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(102);
      assertThat(Locations.describe(e.getLocation())).isEqualTo("ZTC[3]-2");
    });
  }

  @Test
  void aRawGs1CodeWithEscapedGroupSeparatorIsNormalised() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "(01)06901234567892(21)A1B2C3D4E5",
        "]d2010690123456789221A1B2\\X1D\\17281231");
    MedicationDispense dispense = convert(raw).dispenses().get(1);
    assertThat(((Identifier) dispense.getExtensionByUrl(Extensions.TRACEABILITY_CODE).getValue()).getValue())
        .isEqualTo("(01)06901234567892(21)A1B2");
  }

  @Test
  void aRepeatedCodeInOneDispenseIsRecordedOnceWithAWarning() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "ZTC|2|81234567890123456790|", "ZTC|2|81234567890123456789|");
    RdsConversionResult result = convert(raw);
    assertThat(result.dispenses().get(0).getExtensionsByUrl(Extensions.TRACEABILITY_CODE)).hasSize(1);
    assertThat(result.warnings()).singleElement().satisfies(w -> assertThat(w.code().getCode()).isEqualTo(205));
  }

  @Test
  void aZtcBeforeAnyOrderIsASegmentSequenceError() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "ORC|RE|CF2026112000040001",
        "ZTC|1|81234567890123456700|1|N\rORC|RE|CF2026112000040001");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(100);
      assertThat(e.getLocation().getSegmentName()).isEqualTo("ZTC");
      assertThat(e.getLocation().getSegmentRepetition()).isEqualTo(1);
    });
  }

  @Test
  void anUnknownSplitPackFlagIs103() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "A1B2C3D4E5|1|Y", "A1B2C3D4E5|1|X");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(103);
      assertThat(Locations.describe(e.getLocation())).isEqualTo("ZTC[3]-4");
    });
  }

  @Test
  void aMissingDispenseAmountIs101() {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rds-o13", "|20261121150000|28|PIAN^片|", "|20261121150000||PIAN^片|");
    assertThatThrownBy(() -> convert(raw)).isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(101);
      assertThat(Locations.describe(e.getLocation())).isEqualTo("RXD-4");
    });
  }
}
