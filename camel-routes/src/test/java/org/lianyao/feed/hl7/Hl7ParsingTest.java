package org.lianyao.feed.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.v251.message.RDE_O11;
import ca.uhn.hl7v2.model.v251.message.RDS_O13;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lianyao.feed.hl7.Hl7Fixtures.Encoding;

class Hl7ParsingTest {

  private final Hl7Parsing parsing = new Hl7Parsing();

  @ParameterizedTest
  @ValueSource(strings = {"GB 18030-2000", "GB18030", "gb18030", "GBK", "GB2312", "ISO IR58"})
  void gbFamilyNamesDecodeAsGb18030(String msh18) {
    assertThat(Hl7Charsets.kind(msh18)).isEqualTo(Hl7Charsets.Kind.RECOGNISED);
    assertThat(Hl7Charsets.forMsh18(msh18)).contains(Hl7Charsets.GB18030);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UNICODE UTF-8", "UTF-8", "utf8", "UNICODE"})
  void utf8NamesDecodeAsUtf8(String msh18) {
    assertThat(Hl7Charsets.forMsh18(msh18)).contains(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ASCII", "8859/1", "ISO-8859-1"})
  void latinDeclarationsAreIgnoredNeverUsed(String msh18) {
    assertThat(Hl7Charsets.kind(msh18)).isEqualTo(Hl7Charsets.Kind.IGNORED);
    assertThat(Hl7Charsets.forMsh18(msh18)).isEmpty();
  }

  @Test
  void aLatinChannelCharsetIsRefused() {
    assertThatThrownBy(() -> new Hl7Parsing(StandardCharsets.ISO_8859_1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void everyFixtureParsesIntoTheV251ModelWithItsCharset(Encoding encoding) throws Exception {
    for (String name : List.of("rde-o11-v24", "rde-o11-v25", "rde-o25", "rde-o11-no-resident-id", "rde-o11-missing-pid")) {
      ParsedMessage parsed = parsing.parse(Hl7Fixtures.bytes(encoding, name));
      assertThat(parsed.message()).as(name).isInstanceOf(RDE_O11.class);
      assertThat(parsed.charset()).as(name).isEqualTo(encoding.charset);
      assertThat(parsed.warnings()).as(name).isEmpty();
    }
    ParsedMessage rds = parsing.parse(Hl7Fixtures.bytes(encoding, "rds-o13"));
    assertThat(rds.message()).isInstanceOf(RDS_O13.class);
  }

  @Test
  void gbkSecondBytesThatLookLikeDelimitersDoNotSplitFields() throws Exception {
    // 珅 is AB 7C and 昞 is 95 5C in GBK: a '|' and a '\' if the bytes were split before decoding.
    byte[] raw = Hl7Fixtures.bytes(Encoding.GB18030, "rde-o11-no-resident-id");
    assertThat(raw).containsSequence((byte) 0xAB, (byte) 0x7C);
    ParsedMessage parsed = parsing.parse(raw);
    PID pid = ((RDE_O11) parsed.message()).getPATIENT().getPID();
    assertThat(pid.getPid5_PatientName(0).getXpn1_FamilyName().getFn1_Surname().getValue()).isEqualTo("李珅");
    assertThat(pid.getPid7_DateTimeOfBirth().getTs1_Time().getValue()).isEqualTo("19900101");
    assertThat(((RDE_O11) parsed.message()).getORDER().getORC().getOrc12_OrderingProvider(0)
        .getXcn2_FamilyName().getFn1_Surname().getValue()).isEqualTo("赵昞");
  }

  @Test
  void undeclaredUtf8OnAGbChannelIsDetectedAndWarned() throws Exception {
    byte[] utf8WithoutMsh18 = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "|CHN|UNICODE UTF-8", "|CHN");
    ParsedMessage parsed = parsing.parse(utf8WithoutMsh18);
    assertThat(parsed.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(parsed.declaredCharset()).isNull();
    assertThat(parsed.warnings()).singleElement().satisfies(w -> {
      assertThat(w.where()).isEqualTo("MSH-18");
      assertThat(w.chinese()).contains("UTF-8");
    });
    assertThat(((RDE_O11) parsed.message()).getPATIENT().getPID().getPid5_PatientName(0)
        .getXpn1_FamilyName().getFn1_Surname().getValue()).isEqualTo("张伟");
  }

  @Test
  void withoutDetectionUndeclaredUtf8IsReadWithTheChannelCharset() throws Exception {
    byte[] utf8WithoutMsh18 = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "|CHN|UNICODE UTF-8", "|CHN");
    ParsedMessage parsed = new Hl7Parsing(Hl7Charsets.GB18030, false, "T").parse(utf8WithoutMsh18);
    assertThat(parsed.charset()).isEqualTo(Hl7Charsets.GB18030);
    assertThat(parsed.warnings()).isEmpty();
  }

  @Test
  void aWrongUtf8DeclarationFallsBackToGb18030WithAWarning() throws Exception {
    byte[] gbDeclaredUtf8 = Hl7Fixtures.edited(Encoding.GB18030, "rds-o13", "|CHN|GB18030", "|CHN|UTF-8");
    ParsedMessage parsed = parsing.parse(gbDeclaredUtf8);
    assertThat(parsed.charset()).isEqualTo(Hl7Charsets.GB18030);
    assertThat(parsed.declaredCharset()).isEqualTo("UTF-8");
    assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w.english()).contains("declares 'UTF-8'"));
    assertThat(((RDS_O13) parsed.message()).getPATIENT().getPID().getPid5_PatientName(0)
        .getXpn1_FamilyName().getFn1_Surname().getValue()).isEqualTo("刘强");
  }

  @Test
  void anUnknownDeclarationUsesTheChannelCharsetWithAWarning() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.GB18030, "rde-o11-v25", "|CHN|GB 18030-2000", "|CHN|HZ-GB");
    ParsedMessage parsed = parsing.parse(raw);
    assertThat(parsed.charset()).isEqualTo(Hl7Charsets.GB18030);
    assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w.english()).contains("HZ-GB"));
  }

  @Test
  void aUtf8ChannelReadsUndeclaredGbkBytesAsGb18030WithAWarning() throws Exception {
    ParsedMessage parsed = new Hl7Parsing(StandardCharsets.UTF_8).parse(Hl7Fixtures.bytes(Encoding.GB18030, "rde-o11-v24"));
    assertThat(parsed.charset()).isEqualTo(Hl7Charsets.GB18030);
    assertThat(parsed.warnings()).hasSize(1);
  }

  @Test
  void bytesValidInNeitherCharsetAreRejected() {
    byte[] raw = ("MSH|^~\\&|HIS|H50011200001|LIANYAO|LIANYAO|20261120||RDE^O11|C1|P|2.5|||||CHN|UTF-8\rPID|1||X||")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] broken = new byte[raw.length + 2];
    System.arraycopy(raw, 0, broken, 0, raw.length);
    broken[raw.length] = (byte) 0xFF; // never valid in UTF-8 nor as a GB18030 lead byte
    broken[raw.length + 1] = (byte) 0xFF;
    assertThatThrownBy(() -> parsing.parse(broken))
        .isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(102);
          assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AR);
          assertThat(e.getLocation().getField()).isEqualTo(18);
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hello world", "PID|1||500112195603120119", "MSH"})
  void garbageIsAParseErrorAnsweredWithAr(String input) {
    assertThatThrownBy(() -> parsing.parse(input.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
          assertThat(e.isReject()).isTrue();
          assertThat(e.acknowledgmentCode()).isEqualTo(AcknowledgmentCode.AR);
          assertThat(e.errorCode()).isEqualTo(100);
          assertThat(e.chineseMessage()).isNotBlank();
        });
  }

  @Test
  void anMshWithoutAMessageTypeIsRejectedWithHapisCode() {
    byte[] raw = "MSH|^~\\&|HIS|H50011200001|LIANYAO|LIANYAO|20261120||RDE|C2|P|2.4\r".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> parsing.parse(raw))
        .isInstanceOfSatisfying(Hl7ConversionException.class, e -> {
          assertThat(e.isReject()).isTrue();
          assertThat(e.errorCode()).isEqualTo(200);
        });
  }

  @Test
  void mllpFramingBomAndLineFeedsAreTolerated() throws Exception {
    String text = Hl7Fixtures.text(Encoding.UTF8, "rde-o25").replace("\r", "\r\n");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[body.length + 6];
    framed[0] = 0x0B;
    framed[1] = (byte) 0xEF;
    framed[2] = (byte) 0xBB;
    framed[3] = (byte) 0xBF;
    System.arraycopy(body, 0, framed, 4, body.length);
    framed[framed.length - 2] = 0x1C;
    framed[framed.length - 1] = 0x0D;
    RDE_O11 rde = (RDE_O11) parsing.parse(framed).message();
    assertThat(rde.getPATIENT().getPID().getPid5_PatientName(0).getXpn1_FamilyName().getFn1_Surname().getValue())
        .isEqualTo("王芳");
    assertThat(rde.getORDER().getRXE().getRxe2_GiveCode().getCe2_Text().getValue()).isEqualTo("苯磺酸氨氯地平片");
  }

  @Test
  void v23EventNamesParseIntoTheV24Structures() throws Exception {
    byte[] raw = Hl7Fixtures.edited(Encoding.UTF8, "rde-o11-v24", "RDE^O11|", "RDE^O01|");
    String text = new String(raw, StandardCharsets.UTF_8).replace("|P|2.4|", "|P|2.3|");
    ParsedMessage parsed = parsing.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.message()).isInstanceOf(RDE_O11.class);
    assertThat(parsed.triggerEvent()).isEqualTo("O01");
    assertThat(((RDE_O11) parsed.message()).getORDERReps()).isEqualTo(2);
  }

  @Test
  void ztcSegmentsAreParsedAsGenericSegmentsInsideTheirOrderGroup() throws Exception {
    RDS_O13 rds = (RDS_O13) parsing.parse(Hl7Fixtures.bytes(Encoding.UTF8, "rds-o13")).message();
    List<ca.uhn.hl7v2.model.Segment> first = ZtcSegment.collect(rds.getORDER(0));
    List<ca.uhn.hl7v2.model.Segment> second = ZtcSegment.collect(rds.getORDER(1));
    assertThat(first).hasSize(2).allSatisfy(s -> assertThat(s).isInstanceOf(GenericSegment.class));
    assertThat(second).hasSize(1);
    assertThat(ca.uhn.hl7v2.util.Terser.get(first.get(1), 2, 0, 1, 1)).isEqualTo("81234567890123456790");
  }

  @Test
  void parsingAlreadyDecodedTextUsesTheDeclaredCharsetForTheAck() throws Exception {
    ParsedMessage parsed = parsing.parse(Hl7Fixtures.text(Encoding.UTF8, "rde-o25"));
    assertThat(parsed.charset()).isEqualTo(StandardCharsets.UTF_8);
    ParsedMessage undeclared = parsing.parse(Hl7Fixtures.text(Encoding.GB18030, "rde-o11-v24"));
    assertThat(undeclared.charset()).isEqualTo(Hl7Charsets.GB18030);
  }

  @Test
  void parsingAndConvertingIsThreadSafe() throws Exception {
    RdeToMedicationRequestConverter rde = new RdeToMedicationRequestConverter(Hl7Fixtures.CONFIG);
    RdsToMedicationDispenseConverter rds = new RdsToMedicationDispenseConverter(Hl7Fixtures.CONFIG);
    List<byte[]> inputs = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (Encoding encoding : Encoding.values()) {
      for (String name : List.of("rde-o11-v24", "rde-o11-v25", "rde-o25", "rde-o11-no-resident-id", "rds-o13")) {
        byte[] raw = Hl7Fixtures.bytes(encoding, name);
        inputs.add(raw);
        expected.add(convertToJson(raw, rde, rds));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int offset = thread;
        Callable<Boolean> task = () -> {
          for (int i = 0; i < 200; i++) {
            int index = (i + offset) % inputs.size();
            if (!expected.get(index).equals(convertToJson(inputs.get(index), rde, rds))) {
              return false;
            }
          }
          return true;
        };
        results.add(pool.submit(task));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private String convertToJson(byte[] raw, RdeToMedicationRequestConverter rde, RdsToMedicationDispenseConverter rds)
      throws Exception {
    ParsedMessage parsed = parsing.parse(raw);
    org.hl7.fhir.r4.model.Bundle bundle = "RDS".equals(parsed.messageCode())
        ? rds.convert(parsed).toTransactionBundle()
        : rde.convert(parsed).toTransactionBundle();
    return Hl7Fixtures.FHIR.newJsonParser().encodeResourceToString(bundle);
  }
}
