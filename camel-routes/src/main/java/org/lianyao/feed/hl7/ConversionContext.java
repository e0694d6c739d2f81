package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.id.NhsaInstitutionCodeValidator;

/** State of one conversion: the message, the sending institution, collected warnings. */
final class ConversionContext {

  final Hl7ConverterConfig config;
  final ParsedMessage parsed;
  final String sendingInstitution;
  final String controlId;
  final List<ConversionWarning> warnings;

  private ConversionContext(Hl7ConverterConfig config, ParsedMessage parsed, String sendingInstitution,
      String controlId) {
    this.config = config;
    this.parsed = parsed;
    this.sendingInstitution = sendingInstitution;
    this.controlId = controlId;
    this.warnings = new ArrayList<>(parsed.warnings());
  }

  /**
   * Checks MSH-9 against the supported message code and events, MSH-10 and MSH-4, and resolves
   * MSH-4 to the member's NHSA institution code.
   */
  static ConversionContext start(Hl7ConverterConfig config, ParsedMessage parsed, String messageCode,
      Set<String> events) throws Hl7ConversionException {
    MSH msh = parsed.msh();
    String code = parsed.messageCode();
    String event = parsed.triggerEvent();
    if (!messageCode.equals(code)) {
      throw Hl7ConversionException.of(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, Locations.field(msh, 9).withComponent(1),
          "不支持的消息类型“" + code + "”，此通道只接收 " + messageCode + " 消息",
          "unsupported message type '" + code + "'; this converter accepts " + messageCode);
    }
    if (event == null || !events.contains(event.toUpperCase(Locale.ROOT))) {
      throw Hl7ConversionException.of(ErrorCode.UNSUPPORTED_EVENT_CODE, Locations.field(msh, 9).withComponent(2),
          "不支持的触发事件“" + code + "^" + event + "”，支持 " + String.join("、", events),
          "unsupported trigger event '" + code + "^" + event + "'; supported: " + String.join(", ", events));
    }
    String controlId = parsed.controlId();
    if (controlId == null) {
      throw Hl7ConversionException.missing(Locations.field(msh, 10), "消息控制号", "message control ID");
    }
    return new ConversionContext(config, parsed, sendingInstitution(config, msh), controlId);
  }

  /** MSH-4 → NHSA institution code: HD-1 or HD-2 if it is one, else a configured alias. */
  private static String sendingInstitution(Hl7ConverterConfig config, MSH msh) throws Hl7ConversionException {
    HD facility = msh.getMsh4_SendingFacility();
    String namespace = V2.text(facility.getHd1_NamespaceID());
    String universal = V2.text(facility.getHd2_UniversalID());
    Optional<String> code = nhsaCode(namespace, universal);
    if (code.isPresent()) {
      return code.get();
    }
    for (String candidate : new String[] {namespace, universal}) {
      if (candidate != null && config.facilityAliases().containsKey(candidate)) {
        return config.facilityAliases().get(candidate);
      }
    }
    if (namespace == null && universal == null) {
      throw Hl7ConversionException.missing(Locations.field(msh, 4), "发送机构，应为医保定点医疗机构编码", "sending facility (NHSA institution code)");
    }
    String sent = namespace != null ? namespace : universal;
    throw Hl7ConversionException.of(ErrorCode.UNKNOWN_KEY_IDENTIFIER, Locations.field(msh, 4),
        "发送机构 MSH-4“" + sent + "”不是医保定点医疗机构编码，也未在通道配置中登记",
        "sending facility MSH-4 '" + sent + "' is neither an NHSA institution code nor a configured alias");
  }

  /** The first argument that is a valid NHSA institution code (upper-cased). */
  static Optional<String> nhsaCode(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null) {
        String upper = candidate.toUpperCase(Locale.ROOT);
        if (NhsaInstitutionCodeValidator.isValid(upper)) {
          return Optional.of(upper);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The institution that issued an order number: EI-2 (namespace) or EI-3 (universal ID) when it is
   * an NHSA institution code, otherwise the sending institution. This is what makes a county
   * hospital's prescription, dispensed by a township clinic (延伸处方), keep the county's
   * prescription-number system.
   */
  String issuer(EI number) {
    return nhsaCode(V2.text(number.getEi2_NamespaceID()), V2.text(number.getEi3_UniversalID()))
        .orElse(sendingInstitution);
  }

  void warn(ErrorCode code, Location location, String chinese, String english) {
    warnings.add(new ConversionWarning(code, location, chinese, english));
  }

  /** Logical reference to a member institution (used for Identifier.assigner). */
  static Reference institutionIdentifierReference(String nhsaCode) {
    Reference reference = new Reference();
    reference.setType("Organization");
    reference.setIdentifier(new Identifier().setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE).setValue(nhsaCode));
    return reference;
  }

  /**
   * Reference to a member institution for the prescribing/dispensing-institution extensions: a
   * conditional reference the FHIR server resolves inside the transaction (so the {@code institution}
   * search parameter works on a literal reference), plus the identifier, so the reference stays
   * meaningful if it is read before resolution. An institution the server does not know fails the
   * transaction: members are registered, an unknown one is a configuration error.
   */
  static Reference institutionReference(String nhsaCode) {
    Reference reference = institutionIdentifierReference(nhsaCode);
    reference.setReference("Organization?" + TransactionBundles.identifierQuery(
        IdentifierSystems.NHSA_INSTITUTION_CODE, nhsaCode));
    return reference;
  }
}
