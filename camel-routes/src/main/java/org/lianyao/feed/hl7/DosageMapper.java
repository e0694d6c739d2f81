package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.v251.segment.RXR;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Dosage.DosageDoseAndRateComponent;
import org.hl7.fhir.r4.model.Range;
import org.lianyao.terminology.CodeSystems;

/**
 * Dosage from RXR (route), the order's timing and the give amount (RXE-3/4/5), following the HL7
 * V2-to-FHIR RXR and TQ1 → Dosage mappings.
 *
 * <p>Route (RXR-1): the coding as sent is kept, and the national route (CV06.00.158, OID …158) is
 * added. HL7 table 0162 codes (coding system {@code HL70162} or none) map through the
 * {@link CodeMapper}; wider national categories are used as they are (局部用药 for topical is true,
 * just less specific); codes the map does not list get its fixed "9 其他用药途径" with a warning.
 * Senders that use the national table directly ({@code CV06.00.102} / the OID, or a purely numeric
 * code without coding system, which is how Chinese HIS send it) are taken as national codes. Other
 * local codings are kept as text with a warning.
 */
final class DosageMapper {

  static final Set<String> NATIONAL_ROUTE_NAMES = Set.of("CV06.00.102", "2.16.156.10011.2.3.1.158",
      CodeSystems.ROUTE.toUpperCase(Locale.ROOT));
  static final Set<String> HL7_ROUTE_NAMES = Set.of("HL70162", "0162", "HL7 0162", CodeSystems.HL7_V2_ROUTE.toUpperCase(Locale.ROOT));

  private DosageMapper() {}

  /**
   * @param rxr the first RXR of the order, or null
   * @param minimum give amount minimum (RXE-3), or null
   * @param maximum give amount maximum (RXE-4), or null
   * @param unit give units (RXE-5), or null
   * @param instructions provider's administration instructions (RXE-7), or null
   */
  static Dosage dosage(RXR rxr, TimingMapper.Result timing, BigDecimal minimum, BigDecimal maximum, V2.Coded unit,
      String instructions, ConversionContext ctx) {
    Dosage dosage = new Dosage();
    String text = join(instructions, timing == null ? null : timing.text());
    if (text != null) {
      dosage.setText(text);
    }
    if (timing != null) {
      if (!timing.timing().isEmpty()) {
        dosage.setTiming(timing.timing());
      }
      if (timing.asNeeded()) {
        if (timing.asNeededText() != null) {
          dosage.setAsNeeded(new CodeableConcept().setText(timing.asNeededText()));
        } else {
          dosage.setAsNeeded(new BooleanType(true));
        }
      }
    }
    if (rxr != null) {
      CodeableConcept route = route(rxr, ctx);
      if (route != null) {
        dosage.setRoute(route);
      }
    }
    if (minimum != null) {
      DosageDoseAndRateComponent doseAndRate = dosage.addDoseAndRate();
      if (maximum != null && maximum.compareTo(minimum) != 0) {
        doseAndRate.setDose(new Range().setLow(V2.quantity(minimum, unit)).setHigh(V2.quantity(maximum, unit)));
      } else {
        doseAndRate.setDose(V2.quantity(minimum, unit));
      }
    }
    return dosage;
  }

  /** Give rate (RXE-23 amount, RXE-24 units such as mL/h) as rateQuantity, for infusions. */
  static void rate(Dosage dosage, BigDecimal amount, V2.Coded units) {
    if (amount == null) {
      return;
    }
    DosageDoseAndRateComponent doseAndRate = dosage.hasDoseAndRate() ? dosage.getDoseAndRateFirstRep() : dosage.addDoseAndRate();
    doseAndRate.setRate(V2.quantity(amount, units));
  }

  static CodeableConcept route(RXR rxr, ConversionContext ctx) {
    V2.Coded sent = V2.Coded.of(rxr.getRxr1_Route());
    if (sent.isEmpty()) {
      return null;
    }
    CodeableConcept route = new CodeableConcept();
    if (sent.display() != null) {
      route.setText(sent.display());
    }
    String code = sent.code();
    String system = sent.system() == null ? null : sent.system().toUpperCase(Locale.ROOT);
    if (code == null) {
      return route;
    }
    boolean national = (system != null && NATIONAL_ROUTE_NAMES.contains(system))
        || (system == null && code.chars().allMatch(Character::isDigit));
    if (national) {
      route.addCoding(new Coding(CodeSystems.ROUTE, code, sent.text()));
      return route;
    }
    if (system == null || HL7_ROUTE_NAMES.contains(system)) {
      String hl7 = code.toUpperCase(Locale.ROOT);
      Optional<CodeMapper.Mapping> mapping = ctx.config.codeMapper().translate(CodeSystems.HL7_V2_ROUTE, hl7, CodeSystems.ROUTE);
      if (mapping.isPresent()) {
        // Only the national coding: the gateway's profile validation (route bound "required" to
        // CV06.00.102) rejects the CodeableConcept when it also carries the v2-0162 coding, because
        // the offline validation chain does not know that code system. The code as sent stays in
        // the stored raw message, and route.text keeps its display.
        route.addCoding(mapping.get().target());
        if (mapping.get().fromUnmappedRule()) {
          ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.component(rxr, 1, 0, 1),
              "给药途径“" + code + "”不在 HL7 表 0162 对照中，国家途径记为“" + mapping.get().target().getDisplay() + "”",
              "route '" + code + "' is not in the table 0162 map; national route set to the map's default "
                  + mapping.get().target().getCode());
        }
      } else {
        route.addCoding(new Coding(CodeSystems.HL7_V2_ROUTE, hl7, sent.text()));
        ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.component(rxr, 1, 0, 1),
            "给药途径“" + code + "”无法映射到国家用药途径代码", "route '" + code + "' has no national route mapping");
      }
      return route;
    }
    ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.component(rxr, 1, 0, 3),
        "给药途径编码体系“" + sent.system() + "”无法识别，途径仅以文本保留", "route coding system '" + sent.system()
            + "' is not recognised; route kept as text only");
    if (route.getText() == null) {
      route.setText(code);
    }
    return route;
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "；" + b;
  }
}
