package org.lianyao.formulary;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Reads formulary items (Basic) and products (Medication) into {@link FormularyEntry} and
 * {@link Product}, following {@code docs/conventions.md}. Pure functions.
 */
public final class FormularyResources {

  /** {@code formulary-item-type#formulary-item}: what makes a Basic a formulary item. */
  public static final String FORMULARY_ITEM_CODE = "formulary-item";

  private FormularyResources() {}

  /** A Basic with the formulary-item code and a formulary reference. */
  public static boolean isFormularyItem(Basic basic) {
    boolean coded = basic.getCode().getCoding().stream()
        .anyMatch(c -> CodeSystems.FORMULARY_ITEM_TYPE.equals(c.getSystem()) && FORMULARY_ITEM_CODE.equals(c.getCode()));
    return coded && formularyId(basic).isPresent();
  }

  /** The InsurancePlan id the item's {@code formulary-reference} points to (once resolved). */
  public static Optional<String> formularyId(Basic basic) {
    for (Extension ext : basic.getExtensionsByUrl(Extensions.FORMULARY_REFERENCE)) {
      if (ext.getValue() instanceof Reference ref) {
        String id = idOf(ref, "InsurancePlan");
        if (id != null) {
          return Optional.of(id);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Logical id of a literal reference to {@code type} ({@code InsurancePlan/12}, also absolute or
   * versioned); {@code null} for other types, conditional references or placeholders.
   */
  public static String idOf(Reference ref, String type) {
    if (ref == null || !ref.hasReference()) {
      return null;
    }
    String value = ref.getReference();
    if (value.contains("?") || value.startsWith("urn:") || value.startsWith("#")) {
      return null;
    }
    IdType id = new IdType(value);
    return type.equals(id.getResourceType()) && id.hasIdPart() ? id.getIdPart() : null;
  }

  /** The item without its product ({@link FormularyEntry#product()} is {@code null}). */
  public static FormularyEntry toEntry(Basic basic) {
    String itemKey = basic.getIdentifier().stream()
        .filter(i -> IdentifierSystems.FORMULARY_ITEM.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse(null);
    List<String> groups = new ArrayList<>();
    for (Extension ext : basic.getExtensionsByUrl(Extensions.CHRONIC_DISEASE_GROUP)) {
      if (ext.getValue() instanceof Coding c && c.hasCode()) {
        groups.add(c.getCode());
      }
    }
    String changeType = null;
    LocalDate effective = null;
    String reason = "";
    Extension change = basic.getExtensionByUrl(Extensions.FORMULARY_CHANGE);
    if (change != null) {
      Extension type = change.getExtensionByUrl(Extensions.FORMULARY_CHANGE_TYPE);
      if (type != null && type.getValue() instanceof Coding c) {
        changeType = c.getCode();
      }
      Extension date = change.getExtensionByUrl(Extensions.FORMULARY_CHANGE_EFFECTIVE);
      if (date != null && date.getValue() instanceof DateType d && d.hasValue()) {
        effective = LocalDate.of(d.getYear(), d.getMonth() + 1, d.getDay());
      }
      Extension why = change.getExtensionByUrl(Extensions.FORMULARY_CHANGE_REASON);
      if (why != null && why.getValue() != null) {
        reason = why.getValue().primitiveValue();
      }
    }
    Coding insurance = coding(basic, Extensions.INSURANCE_CLASS);
    return new FormularyEntry(
        basic.getIdElement().getIdPart(),
        formularyId(basic).orElseThrow(() -> new IllegalArgumentException("not a formulary item: no formulary-reference")),
        idOf(basic.getSubject(), "Medication"),
        itemKey,
        bool(basic, Extensions.VBP),
        string(basic, Extensions.VBP_BATCH),
        bool(basic, Extensions.ESSENTIAL_MEDICINE),
        insurance == null ? null : insurance.getCode(),
        groups,
        bool(basic, Extensions.TWO_SPEC_EXEMPT),
        bool(basic, Extensions.LINKAGE_DRUG),
        changeType, effective, reason, null);
  }

  public static Product toProduct(Medication medication) {
    String formCode = null;
    String formText = medication.getForm().getText();
    for (Coding c : medication.getForm().getCoding()) {
      if (CodeSystems.DOSAGE_FORM.equals(c.getSystem()) && c.hasCode()) {
        formCode = c.getCode();
        if (formText == null || formText.isEmpty()) {
          formText = c.getDisplay();
        }
      }
    }
    String nhsa = medication.getCode().getCoding().stream()
        .filter(c -> IdentifierSystems.NHSA_DRUG_CODE.equals(c.getSystem()) && c.hasCode())
        .map(Coding::getCode).findFirst()
        .orElseGet(() -> medication.getIdentifier().stream()
            .filter(i -> IdentifierSystems.NHSA_DRUG_CODE.equals(i.getSystem()) && i.hasValue())
            .map(Identifier::getValue).findFirst().orElse(null));
    return new Product(
        medication.getIdElement().getIdPart(),
        medication.getCode().getText(),
        formCode,
        formText,
        extensionString(medication.getExtensionByUrl(Extensions.MEDICATION_STRENGTH)),
        extensionString(medication.getExtensionByUrl(Extensions.MEDICATION_PACKAGE)),
        medication.getManufacturer().getDisplay(),
        nhsa);
  }

  /**
   * The catalog key of a Medication as {@code system|value}: its identifier in the NHSA drug code or
   * the Lianyao product-key system (what catalog imports match it by), or {@code null}.
   */
  public static String keyIdentifier(Medication medication) {
    return medication.getIdentifier().stream()
        .filter(i -> i.hasValue() && (IdentifierSystems.NHSA_DRUG_CODE.equals(i.getSystem())
            || IdentifierSystems.PRODUCT_KEY.equals(i.getSystem())))
        .map(i -> i.getSystem() + "|" + i.getValue()).findFirst().orElse(null);
  }

  private static Boolean bool(Basic basic, String url) {
    Extension ext = basic.getExtensionByUrl(url);
    return ext != null && ext.getValue() instanceof BooleanType b && b.hasValue() ? b.getValue() : null;
  }

  private static String string(Basic basic, String url) {
    return extensionString(basic.getExtensionByUrl(url));
  }

  private static Coding coding(Basic basic, String url) {
    Extension ext = basic.getExtensionByUrl(url);
    return ext != null && ext.getValue() instanceof Coding c ? c : null;
  }

  private static String extensionString(Extension ext) {
    if (ext == null) {
      return "";
    }
    Type value = ext.getValue();
    return value == null || value.primitiveValue() == null ? "" : value.primitiveValue();
  }
}
