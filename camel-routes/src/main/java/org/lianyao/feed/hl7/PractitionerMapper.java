package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.model.v251.datatype.XCN;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.IdentifierSystems;

/**
 * XCN (ORC-12 ordering provider, RXE-13, RXD-10 dispensing provider) → Practitioner identified by
 * the practitioner code of the institution (XCN-9 when it is an NHSA institution code, otherwise
 * the sending institution), with the Chinese name split as for patients.
 */
final class PractitionerMapper {

  /**
   * @param practitioner the Practitioner, or null when XCN-1 is empty (nothing to key it on)
   * @param key its identifier, or null
   * @param display the name as sent, for Reference.display
   */
  record Result(Practitioner practitioner, Identifier key, String display) {

    boolean isEmpty() {
      return practitioner == null && display == null;
    }

    /** Reference to the Practitioner's transaction entry, or a display-only reference. */
    Reference reference() {
      Reference reference = practitioner != null
          ? new Reference(TransactionBundles.fullUrl("Practitioner", key))
          : new Reference();
      if (display != null) {
        reference.setDisplay(display);
      }
      return reference;
    }
  }

  private PractitionerMapper() {}

  static Result map(XCN xcn, ConversionContext ctx) {
    String code = V2.text(xcn.getXcn1_IDNumber());
    HumanName name = ChineseNames.toHumanName(V2.text(xcn.getXcn2_FamilyName().getFn1_Surname()),
        V2.text(xcn.getXcn3_GivenName()));
    String display = name == null ? null : name.getText();
    if (code == null) {
      return new Result(null, null, display);
    }
    String institution = ConversionContext.nhsaCode(V2.text(xcn.getXcn9_AssigningAuthority().getHd1_NamespaceID()),
        V2.text(xcn.getXcn9_AssigningAuthority().getHd2_UniversalID())).orElse(ctx.sendingInstitution);
    Identifier key = new Identifier().setSystem(IdentifierSystems.practitionerCodeSystem(institution)).setValue(code);
    Practitioner practitioner = new Practitioner();
    practitioner.addIdentifier(key.copy().setAssigner(ConversionContext.institutionIdentifierReference(institution)));
    if (name != null) {
      practitioner.addName(name);
    }
    return new Result(practitioner, key, display);
  }
}
