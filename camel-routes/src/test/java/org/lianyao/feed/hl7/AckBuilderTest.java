package org.lianyao.feed.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.segment.ERR;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lianyao.feed.hl7.Hl7Fixtures.Encoding;

class AckBuilderTest {

  private final Hl7Parsing parsing = new Hl7Parsing();
  private final AckBuilder acks = new AckBuilder(parsing);
  private final RdeToMedicationRequestConverter converter = new RdeToMedicationRequestConverter(Hl7Fixtures.CONFIG);

  /** Parses an ACK back with HAPI, from its bytes, as the sender would. */
  private ACK parseBack(AckBuilder.Ack ack) throws Exception {
    ParsedMessage parsed = parsing.parse(ack.bytes());
    assertThat(parsed.charset()).isEqualTo(ack.charset());
    return (ACK) parsed.message();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aaEchoesControlIdSwapsPartiesAndKeepsTheCharset(Encoding encoding) throws Exception {
    ParsedMessage inbound = parsing.parse(Hl7Fixtures.bytes(encoding, "rde-o11-v25"));
    converter.convert(inbound);
    AckBuilder.Ack ack = acks.accept(inbound);

    assertThat(ack.code()).isEqualTo(AcknowledgmentCode.AA);
    assertThat(ack.charset()).isEqualTo(encoding.charset);
    ACK parsed = parseBack(ack);
    MSH msh = parsed.getMSH();
    assertThat(msh.getMsh9_MessageType().encode()).isEqualTo("ACK^O11^ACK");
    assertThat(msh.getMsh3_SendingApplication().encode()).isEqualTo("LIANYAO");
    assertThat(msh.getMsh5_ReceivingApplication().encode()).isEqualTo("HIS");
    assertThat(msh.getMsh6_ReceivingFacility().encode()).isEqualTo("H50011200001");
    assertThat(msh.getMsh12_VersionID().getVid1_VersionID().getValue()).isEqualTo("2.5");
    assertThat(msh.getMsh18_CharacterSet(0).getValue()).isEqualTo(inbound.declaredCharset());
    assertThat(msh.getMsh10_MessageControlID().getValue()).isNotBlank().hasSizeLessThanOrEqualTo(20)
        .isNotEqualTo("RDE20261121101500002");
    assertThat(msh.getMsh7_DateTimeOfMessage().getTs1_Time().getValue()).endsWith("+0800");
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(parsed.getMSA().getMsa2_MessageControlID().getValue()).isEqualTo("RDE20261121101500002");
    assertThat(parsed.getERRReps()).isZero();
  }

  @Test
  void aaCanCarryWarningsAsSeverityW() throws Exception {
    ParsedMessage inbound = parsing.parse(Hl7Fixtures.bytes(Encoding.GB18030, "rde-o11-v25"));
    RdeConversionResult result = converter.convert(inbound);
    ACK parsed = parseBack(acks.accept(inbound, result.warnings()));
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(parsed.getERRReps()).isEqualTo(1);
    ERR err = parsed.getERR(0);
    assertThat(err.getErr4_Severity().getValue()).isEqualTo("W");
    assertThat(err.getErr3_HL7ErrorCode().getCwe1_Identifier().getValue()).isEqualTo("103");
    assertThat(err.getErr2_ErrorLocation(0).encode()).isEqualTo("RXE^2^2^1^1");
    assertThat(err.getErr8_UserMessage().getValue()).contains("YP9001", "未匹配");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aeCarriesTheErrorInErrAndTheChineseMessageInTheInboundCharset(Encoding encoding) throws Exception {
    ParsedMessage inbound = parsing.parse(Hl7Fixtures.bytes(encoding, "rde-o11-missing-pid"));
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> converter.convert(inbound));
    AckBuilder.Ack ack = acks.error(inbound, error);

    assertThat(ack.code()).isEqualTo(AcknowledgmentCode.AE);
    assertThat(ack.bytes()).containsSequence(error.chineseMessage().getBytes(encoding.charset));
    ACK parsed = parseBack(ack);
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AE");
    assertThat(parsed.getMSA().getMsa2_MessageControlID().getValue()).isEqualTo("RDE20261123091000006");
    assertThat(parsed.getMSA().getMsa3_TextMessage().getValue()).isEqualTo(error.chineseMessage());
    ERR err = parsed.getERR(0);
    assertThat(err.getErr2_ErrorLocation(0).getErl1_SegmentID().getValue()).isEqualTo("PID");
    assertThat(err.getErr2_ErrorLocation(0).getErl2_SegmentSequence().getValue()).isEqualTo("1");
    assertThat(err.getErr3_HL7ErrorCode().encode()).isEqualTo("101^Required field missing^HL70357");
    assertThat(err.getErr4_Severity().getValue()).isEqualTo("E");
    assertThat(err.getErr7_DiagnosticInformation().getValue()).contains("PID segment");
    assertThat(err.getErr8_UserMessage().getValue()).isEqualTo(error.chineseMessage()).contains("PID");
    assertThat(err.getErr1_ErrorCodeAndLocationReps()).isZero(); // a v2.5 sender reads ERR-2/3
  }

  @Test
  void preV25SendersAlsoGetErr1() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "ORC|NW|", "ORC|HD|");
    ParsedMessage inbound = parsing.parse(raw);
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> converter.convert(inbound));
    ACK parsed = parseBack(acks.error(inbound, error));
    assertThat(parsed.getMSH().getMsh12_VersionID().getVid1_VersionID().getValue()).isEqualTo("2.4");
    ERR err = parsed.getERR(0);
    assertThat(err.getErr1_ErrorCodeAndLocation(0).encode()).isEqualTo("ORC^1^1^103&Table value not found&HL70357");
    assertThat(err.getErr2_ErrorLocation(0).encode()).isEqualTo("ORC^1^1^1");
    assertThat(err.getErr3_HL7ErrorCode().getCwe1_Identifier().getValue()).isEqualTo("103");
  }

  @Test
  void unsupportedEventsAreAnsweredWithAr() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o25", "RDE^O25^RDE_O11", "RDE^O99^RDE_O11");
    ParsedMessage inbound = parsing.parse(raw);
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> converter.convert(inbound));
    ACK parsed = parseBack(acks.error(inbound, error));
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AR");
    assertThat(parsed.getMSH().getMsh9_MessageType().encode()).isEqualTo("ACK^O99^ACK");
    assertThat(parsed.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue()).isEqualTo("201");
  }

  @Test
  void garbageGetsAnArEvenWithoutAnyMsh() throws Exception {
    byte[] garbage = "这不是HL7消息 at all".getBytes(StandardCharsets.UTF_8);
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> parsing.parse(garbage));
    AckBuilder.Ack ack = acks.reject(garbage, error);
    assertThat(ack.code()).isEqualTo(AcknowledgmentCode.AR);
    assertThat(ack.controlId()).isNull();
    assertThat(ack.charset()).isEqualTo(Hl7Charsets.GB18030);
    ACK parsed = parseBack(ack);
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AR");
    assertThat(parsed.getMSA().getMsa2_MessageControlID().getValue()).isNull();
    assertThat(parsed.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue()).isEqualTo("100");
    assertThat(parsed.getERR(0).getErr8_UserMessage().getValue()).contains("MSH");
  }

  @Test
  void aPartlyReadableMshStillGivesControlIdSenderAndCharset() throws Exception {
    // Leading junk, then an MSH whose MSH-9 has no trigger event: HAPI cannot parse it.
    String text = "##MSH|^~\\&|HIS|H50011200001|LIANYAO|LIANYAO|20261120||RDE|CTRL0002|P|2.4|||||CHN|GB18030\rPID|1||张伟";
    byte[] raw = text.getBytes(Hl7Charsets.GB18030);
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> parsing.parse(raw));
    AckBuilder.Ack ack = acks.reject(raw, error);
    assertThat(ack.controlId()).isEqualTo("CTRL0002");
    ACK parsed = parseBack(ack);
    assertThat(parsed.getMSA().getMsa1_AcknowledgmentCode().getValue()).isEqualTo("AR");
    assertThat(parsed.getMSA().getMsa2_MessageControlID().getValue()).isEqualTo("CTRL0002");
    assertThat(parsed.getMSH().getMsh5_ReceivingApplication().encode()).isEqualTo("HIS");
    assertThat(parsed.getMSH().getMsh6_ReceivingFacility().encode()).isEqualTo("H50011200001");
    assertThat(parsed.getMSH().getMsh12_VersionID().getVid1_VersionID().getValue()).isEqualTo("2.4");
    assertThat(parsed.getMSH().getMsh18_CharacterSet(0).getValue()).isEqualTo("GB18030");
    // v2.4 sender: ERR-1 as well
    assertThat(parsed.getERR(0).getErr1_ErrorCodeAndLocation(0).getEld4_CodeIdentifyingError().getCe1_Identifier()
        .getValue()).isEqualTo("100");
  }

  @Test
  void aTruncatedMessageWithAnMshIsAnsweredWithItsControlId() throws Exception {
    byte[] raw = "MSH|^~\\&|HIS|H50011200001|LIANYAO|LIANYAO|20261120||RDE|CTRL0003|P|2.5"
        .getBytes(StandardCharsets.US_ASCII);
    Hl7ConversionException error = org.junit.jupiter.api.Assertions.assertThrows(Hl7ConversionException.class,
        () -> parsing.parse(raw));
    assertThat(error.errorCode()).isEqualTo(200);
    ACK parsed = parseBack(acks.reject(raw, error));
    assertThat(parsed.getMSA().getMsa2_MessageControlID().getValue()).isEqualTo("CTRL0003");
    assertThat(parsed.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue()).isEqualTo("200");
    assertThat(parsed.getERR(0).getErr1_ErrorCodeAndLocationReps()).isZero();
  }

  @Test
  void controlIdsAreUniqueAndShort() {
    ControlIdGenerator generator = new ControlIdGenerator("N1", () -> 1_800_000_000_000L);
    String first = generator.getID();
    String second = generator.getID();
    assertThat(first).isNotEqualTo(second).startsWith("N1").hasSizeLessThanOrEqualTo(20);
    assertThatThrownBy(() -> new ControlIdGenerator("TOO-LONG")).isInstanceOf(IllegalArgumentException.class);
  }
}
