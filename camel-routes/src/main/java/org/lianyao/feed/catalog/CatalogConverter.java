package org.lianyao.feed.catalog;

import ca.uhn.fhir.rest.param.ParameterUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Turns validated formulary rows into FHIR R4 resources for one target formulary: per row a
 * {@link Medication} (the product-spec) and a {@link Basic} formulary item linking it to the
 * formulary's InsurancePlan with the catalog flags (Da Vinci formulary pattern, see
 * {@code docs/conventions.md}).
 *
 * <p><b>Idempotent transaction.</b> {@link #toTransaction} uses conditional updates only:
 * <ul>
 *   <li>Medication: {@code PUT Medication?identifier=<product key>} — the 医保药品编码 when present,
 *       else the derived Lianyao product key ({@link ProductKey}); a product shared by several
 *       formulary versions is one Medication.</li>
 *   <li>Basic: {@code PUT Basic?identifier=}{@value #FORMULARY_ITEM_SYSTEM}{@code |<formulary key>|<product key>}
 *       — one item per product per formulary.</li>
 * </ul>
 * Resources carry nothing time-dependent and fullUrls are name-based UUIDs of the keys, so the same
 * file yields the same bundle byte for byte, and HAPI's JPA server turns a second import into no-op
 * updates (no new versions). Basic.subject points to the Medication's {@code urn:uuid:} fullUrl,
 * which the server rewrites to the resolved id.
 *
 * <p>Pure: no I/O, thread-safe.
 */
public final class CatalogConverter {

  /**
   * Identifier system of formulary items (Basic): value {@code <formulary key>|<product key>}, see
   * {@link FormularyTarget#formularyItemValue(ProductKey)}. The value contains {@code |}, so a
   * search must escape it ({@code \|}); {@link #conditionalUrl} does.
   */
  public static final String FORMULARY_ITEM_SYSTEM = IdentifierSystems.CANONICAL_BASE + "/sid/formulary-item";

  private final CatalogVocabulary vocabulary;
  private final CatalogRules rules;

  public CatalogConverter(CatalogVocabulary vocabulary, CatalogRules rules) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  public CatalogConverter(CatalogVocabulary vocabulary) {
    this(vocabulary, CatalogRules.defaults());
  }

  public CatalogRules rules() {
    return rules;
  }

  /**
   * The transaction bundle of a validated file.
   *
   * @throws IllegalArgumentException if the validation has problems: imports are all-or-nothing
   */
  public Bundle toTransaction(CatalogValidation validation, FormularyTarget target) {
    Objects.requireNonNull(validation, "validation");
    if (!validation.isValid()) {
      throw new IllegalArgumentException("catalog has " + validation.problems().size()
          + " problems; an import is all-or-nothing, nothing may be written");
    }
    return toTransaction(validation.items(), target);
  }

  /** A transaction with a Medication and a Basic entry per item, in item order. */
  public Bundle toTransaction(List<CatalogItem> items, FormularyTarget target) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(target, "target");
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (CatalogItem item : items) {
      String medicationUrl = fullUrl("Medication", item.productKey().token());
      bundle.addEntry()
          .setFullUrl(medicationUrl)
          .setResource(toMedication(item))
          .getRequest()
          .setMethod(Bundle.HTTPVerb.PUT)
          .setUrl(conditionalUrl("Medication", item.productKey().system(), item.productKey().value()));
      String itemValue = target.formularyItemValue(item.productKey());
      bundle.addEntry()
          .setFullUrl(fullUrl("Basic", FORMULARY_ITEM_SYSTEM + "|" + itemValue))
          .setResource(toFormularyItem(item, target, medicationUrl))
          .getRequest()
          .setMethod(Bundle.HTTPVerb.PUT)
          .setUrl(conditionalUrl("Basic", FORMULARY_ITEM_SYSTEM, itemValue));
    }
    return bundle;
  }

  /** The product-spec as a Medication (no id: the transaction finds it by identifier). */
  public Medication toMedication(CatalogItem item) {
    Medication medication = new Medication();
    // Exactly one key identifier: were the derived key also written on NHSA-keyed Medications, a
    // later file without the code would match two resources and its conditional update would fail.
    medication.addIdentifier(identifier(item.productKey().system(), item.productKey().value()));
    if (!item.approvalNumber().isEmpty()) {
      medication.addIdentifier(identifier(IdentifierSystems.NMPA_APPROVAL_NUMBER, item.approvalNumber()));
    }
    CodeableConcept code = new CodeableConcept().setText(item.genericName());
    if (!item.nhsaDrugCode().isEmpty()) {
      code.addCoding().setSystem(IdentifierSystems.NHSA_DRUG_CODE).setCode(item.nhsaDrugCode());
    }
    if (!item.nmpaStandardCode().isEmpty()) {
      code.addCoding().setSystem(IdentifierSystems.NMPA_STANDARD_CODE).setCode(item.nmpaStandardCode());
    }
    medication.setCode(code);
    medication.setStatus(Medication.MedicationStatus.ACTIVE);
    medication.setForm(new CodeableConcept(item.dosageForm().toCoding()).setText(item.dosageFormText()));
    medication.getManufacturer().setDisplay(item.manufacturer());
    medication.addExtension(Extensions.MEDICATION_STRENGTH, new StringType(item.strength()));
    if (!item.packageText().isEmpty()) {
      medication.addExtension(Extensions.MEDICATION_PACKAGE, new StringType(item.packageText()));
    }
    for (CatalogCode control : item.drugControlClasses()) {
      medication.addExtension(Extensions.DRUG_CONTROL_CLASS, control.toCoding());
    }
    return medication;
  }

  /**
   * The formulary item (Basic) of a product in the target formulary.
   *
   * @param medicationReference reference to the Medication (a fullUrl inside the transaction, or
   *     {@code Medication/id})
   */
  public Basic toFormularyItem(CatalogItem item, FormularyTarget target, String medicationReference) {
    Basic basic = new Basic();
    basic.addIdentifier(identifier(FORMULARY_ITEM_SYSTEM, target.formularyItemValue(item.productKey())));
    basic.setCode(new CodeableConcept(vocabulary.formularyItemType().toCoding()));
    basic.setSubject(new Reference(medicationReference).setDisplay(item.genericName() + " " + item.strength()));
    basic.addExtension(Extensions.FORMULARY_REFERENCE, new Reference(target.reference()));
    if (item.vbp() != null) {
      basic.addExtension(Extensions.VBP, new BooleanType(item.vbp()));
    }
    if (!item.vbpBatch().isEmpty()) {
      basic.addExtension(Extensions.VBP_BATCH, new StringType(item.vbpBatch()));
    }
    if (item.essentialMedicine() != null) {
      basic.addExtension(Extensions.ESSENTIAL_MEDICINE, new BooleanType(item.essentialMedicine()));
    }
    if (item.insuranceClass() != null) {
      basic.addExtension(Extensions.INSURANCE_CLASS, item.insuranceClass().toCoding());
    }
    for (CatalogCode group : item.chronicDiseaseGroups()) {
      basic.addExtension(Extensions.CHRONIC_DISEASE_GROUP, group.toCoding());
    }
    // Always stated: the policy default (hypertension/diabetes/COPD exempt) must not be left for
    // every reader to re-derive.
    basic.addExtension(Extensions.TWO_SPEC_EXEMPT, new BooleanType(rules.twoSpecExempt(item)));
    if (item.linkageDrug() != null) {
      basic.addExtension(Extensions.LINKAGE_DRUG, new BooleanType(item.linkageDrug()));
    }
    if (item.changeType() != null) {
      Extension change = basic.addExtension().setUrl(Extensions.FORMULARY_CHANGE);
      change.addExtension(Extensions.FORMULARY_CHANGE_TYPE, item.changeType().toCoding());
      if (item.effectiveDate() != null) {
        change.addExtension(Extensions.FORMULARY_CHANGE_EFFECTIVE, new DateType(item.effectiveDate().toString()));
      }
      if (!item.changeReason().isEmpty()) {
        change.addExtension(Extensions.FORMULARY_CHANGE_REASON, new StringType(item.changeReason()));
      }
    }
    return basic;
  }

  /**
   * {@code Type?identifier=system|value} with the value escaped for FHIR search ({@code \|},
   * {@code \,}, {@code \$}, {@code \\}) and then URL-encoded.
   */
  public static String conditionalUrl(String resourceType, String system, String value) {
    return resourceType + "?identifier=" + searchToken(system, value);
  }

  /** {@code system|value} for a token search parameter, value escaped and URL-encoded. */
  static String searchToken(String system, String value) {
    return system + "|" + ParameterUtil.escapeAndUrlEncode(value);
  }

  private static Identifier identifier(String system, String value) {
    return new Identifier().setSystem(system).setValue(value);
  }

  /** A name-based UUID, so the bundle is the same every time the same file is converted. */
  private static String fullUrl(String resourceType, String key) {
    UUID uuid = UUID.nameUUIDFromBytes((resourceType + "|" + key).getBytes(StandardCharsets.UTF_8));
    return "urn:uuid:" + uuid;
  }
}
