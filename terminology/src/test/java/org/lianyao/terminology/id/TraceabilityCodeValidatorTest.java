package org.lianyao.terminology.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lianyao.terminology.id.TraceabilityCode.Gs1Element;
import org.lianyao.terminology.id.TraceabilityCode.National;
import org.lianyao.terminology.id.TraceabilityCodeValidator.Layout;
import org.lianyao.terminology.id.TraceabilityCodeValidator.Problem;

class TraceabilityCodeValidatorTest {

  private static final String GS = "\u001D";
  /** GS1's documentation GTIN; check digit 2 is derived by hand in Gs1Test. */
  private static final String GTIN = "09506000134352";

  @Test
  void parsesNationalCodeWithDefaultSplit() {
    TraceabilityCode code = TraceabilityCodeValidator.parse("81234560123456789012");
    assertThat(code).isInstanceOf(National.class);
    National national = (National) code;
    assertThat(national.productId()).isEqualTo("8123456");
    assertThat(national.serial()).isEqualTo("012345678");
    assertThat(national.tail()).isEqualTo("9012");
    assertThat(national.mashangfangxin()).isTrue();
    assertThat(national.identifierValue()).isEqualTo("81234560123456789012");
  }

  @Test
  void nationalSplitIsConfigurable() {
    National national = (National) TraceabilityCodeValidator.parse("81234560123456789012", new Layout(7, 13, 0));
    assertThat(national.serial()).isEqualTo("0123456789012");
    assertThat(national.tail()).isEmpty();
    assertThatThrownBy(() -> new Layout(7, 9, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nationalCodeNotFromMashangfangxin() {
    assertThat(((National) TraceabilityCodeValidator.parse("31234560123456789012")).mashangfangxin()).isFalse();
  }

  @Test
  void stripsSymbologyIdentifier() {
    assertThat(TraceabilityCodeValidator.parse("]C081234560123456789012").identifierValue())
        .isEqualTo("81234560123456789012");
  }

  @Test
  void parsesRawDataMatrixWithGroupSeparators() {
    // ]d2 + 01 GTIN + 17 expiry + 10 batch <GS> 21 serial, as a keyboard-wedge scanner sends it.
    String scanned = "]d201" + GTIN + "17271231" + "10AB12C" + GS + "21SN0001XYZ";
    Gs1Element element = (Gs1Element) TraceabilityCodeValidator.parse(scanned);
    assertThat(element.gtin()).isEqualTo(GTIN);
    assertThat(element.expiry()).isEqualTo(LocalDate.of(2027, 12, 31));
    assertThat(element.batch()).isEqualTo("AB12C");
    assertThat(element.serial()).isEqualTo("SN0001XYZ");
    assertThat(element.productionDate()).isNull();
    assertThat(element.identifierValue()).isEqualTo("(01)" + GTIN + "(21)SN0001XYZ");
  }

  @Test
  void fieldOrderDoesNotChangeIdentity() {
    String a = "01" + GTIN + "21SN0001" + GS + "10LOT7" + GS + "17270600";
    String b = GS + "01" + GTIN + "17270600" + "10LOT7" + GS + "21SN0001";
    assertThat(TraceabilityCodeValidator.parse(a).identifierValue())
        .isEqualTo(TraceabilityCodeValidator.parse(b).identifierValue());
  }

  @Test
  void dayZeroMeansEndOfMonth() {
    Gs1Element element = (Gs1Element) TraceabilityCodeValidator.parse("01" + GTIN + "17280200" + "21X1");
    assertThat(element.expiry()).isEqualTo(LocalDate.of(2028, 2, 29)); // 2028 is a leap year
  }

  @Test
  void parsesHumanReadableForm() {
    Gs1Element element = (Gs1Element) TraceabilityCodeValidator.parse(
        "(01)" + GTIN + "(11)250101(17)270101(10)B-7/2(21)0042");
    assertThat(element.productionDate()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(element.expiry()).isEqualTo(LocalDate.of(2027, 1, 1));
    assertThat(element.batch()).isEqualTo("B-7/2");
    assertThat(element.serial()).isEqualTo("0042");
    // The identifier value parses back to the same identity.
    assertThat(TraceabilityCodeValidator.parse(element.identifierValue()).identifierValue())
        .isEqualTo(element.identifierValue());
  }

  @Test
  void rejectsGtinWithWrongCheckDigit() {
    assertThat(TraceabilityCodeValidator.validate("(01)09506000134353(21)X1")).contains(Problem.GTIN_CHECK_DIGIT);
  }

  @Test
  void requiresGtinAndSerial() {
    assertThat(TraceabilityCodeValidator.validate("(21)X1(10)L1")).contains(Problem.GS1_MISSING_GTIN);
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(17)270101(10)L1")).contains(Problem.GS1_MISSING_SERIAL);
    assertThat(TraceabilityCodeValidator.validate("01" + GTIN + "17270101")).contains(Problem.GS1_MISSING_SERIAL);
  }

  @Test
  void rejectsInvalidDates() {
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(17)271301(21)X1")).contains(Problem.GS1_DATE);
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(17)270230(21)X1")).contains(Problem.GS1_DATE);
  }

  @Test
  void rejectsUnsupportedAi() {
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(21)X1(240)ABC")).contains(Problem.GS1_UNSUPPORTED_AI);
    assertThat(TraceabilityCodeValidator.validate("01" + GTIN + "21X1" + GS + "30" + "12")).contains(Problem.GS1_UNSUPPORTED_AI);
  }

  @Test
  void rejectsMalformedGs1() {
    // serial longer than 20 characters
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(21)123456789012345678901")).contains(Problem.GS1_SYNTAX);
    // GTIN too short in bracketed form
    assertThat(TraceabilityCodeValidator.validate("(01)0950600013435(21)X1")).contains(Problem.GS1_SYNTAX);
    // same AI twice
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(21)X1(21)X2")).contains(Problem.GS1_SYNTAX);
    // text before the first AI
    assertThat(TraceabilityCodeValidator.validate("x(01)" + GTIN + "(21)X1")).contains(Problem.FORMAT);
    // character outside GS1 set 82 (space)
    assertThat(TraceabilityCodeValidator.validate("(01)" + GTIN + "(21)X 1")).contains(Problem.GS1_SYNTAX);
    // truncated fixed-length field in raw form
    assertThat(TraceabilityCodeValidator.validate("01" + GTIN + "21X1" + GS + "1727")).contains(Problem.GS1_SYNTAX);
  }

  @Test
  void twentyPlainDigitsAreAlwaysANationalCode() {
    // "01" + GTIN + 4 digits is also 20 digits; without brackets or GS it is read as a national code,
    // because a GS1 pack code always carries a serial (AI 21) and so is longer or separated.
    assertThat(TraceabilityCodeValidator.parse("01" + GTIN + "1727")).isInstanceOf(National.class);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"8123456012345678901", "812345601234567890123", "8123456012345678901A", "hello"})
  void rejectsMalformedNationalCodes(String code) {
    assertThat(TraceabilityCodeValidator.validate(code)).contains(Problem.FORMAT);
  }
}
