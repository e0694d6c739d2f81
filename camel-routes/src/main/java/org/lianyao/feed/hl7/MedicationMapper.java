package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.Tags;
import org.lianyao.terminology.id.NhsaDrugCodeValidator;

/**
 * Give/dispense code (RXE-2, RXD-2) → a Medication contained in the order or dispense.
 *
 * <p>{@code code.text} is the Chinese drug name as sent (CE-2, else CE-5). Codings: the NHSA drug
 * code from the {@link DrugCodeMapper} (the consortium's governed map), else one the sender
 * supplies itself as primary or alternate coding named NHSA/医保 (see {@link #NHSA_SYSTEM_NAMES});
 * then always the local HIS code in {@code local-drug/{institution}}. An unmatched drug is never
 * dropped: it keeps its local coding and name, and the caller tags the resource
 * {@code data-quality#unmatched-drug}.
 */
final class MedicationMapper {

  /** Coding-system names (CE-3 / CE-6, upper case) HIS use for 国家医保药品编码. */
  static final Set<String> NHSA_SYSTEM_NAMES = Set.of("NHSA", "YB", "YBBM", "YBDM", "医保", "医保编码",
      "医保药品编码", "国家医保编码", "国家医保药品编码", IdentifierSystems.NHSA_DRUG_CODE.toUpperCase(Locale.ROOT));

  /** Coding-system names for the national dosage form table CV08.50.002. */
  static final Set<String> DOSAGE_FORM_SYSTEM_NAMES = Set.of("CV08.50.002", "2.16.156.10011.2.3.1.211",
      CodeSystems.DOSAGE_FORM.toUpperCase(Locale.ROOT));

  static final String CONTAINED_ID = "med";

  /**
   * @param medication the Medication (id {@value #CONTAINED_ID}, to be contained)
   * @param matched whether it carries an NHSA drug code
   */
  record Result(Medication medication, boolean matched) {}

  private MedicationMapper() {}

  static Result map(V2.Coded give, BigDecimal strength, V2.Coded strengthUnit, V2.Coded form,
      Supplier<Location> where, ConversionContext ctx) throws HL7Exception {
    Coding senderNhsa = null;
    String localCode = give.code();
    if (give.system() != null && NHSA_SYSTEM_NAMES.contains(give.system().toUpperCase(Locale.ROOT))) {
      senderNhsa = nhsaCoding(give.code(), give.text());
      localCode = give.altCode();
    } else if (give.altSystem() != null && NHSA_SYSTEM_NAMES.contains(give.altSystem().toUpperCase(Locale.ROOT))) {
      senderNhsa = nhsaCoding(give.altCode(), give.altText() != null ? give.altText() : give.text());
    }
    if (localCode == null && senderNhsa == null) {
      throw Hl7ConversionException.missing(where.get().withComponent(1), "药品编码", "drug code");
    }
    String name = give.text() != null ? give.text() : give.altText();

    Coding nhsa = null;
    if (localCode != null) {
      String localSystem = CodeSystems.localDrugSystem(ctx.sendingInstitution);
      Optional<Coding> mapped = ctx.config.drugCodeMapper().lookup(localSystem, localCode);
      if (mapped.isPresent()) {
        nhsa = mapped.get();
        if (senderNhsa != null && !senderNhsa.getCode().equals(nhsa.getCode())) {
          ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, where.get(),
              "发送方给出的医保药品编码 " + senderNhsa.getCode() + " 与医联体对照表中的 " + nhsa.getCode() + " 不一致，已按对照表",
              "sender's NHSA drug code " + senderNhsa.getCode() + " differs from the consortium map's "
                  + nhsa.getCode() + "; the map wins");
        }
      }
    }
    if (nhsa == null) {
      nhsa = senderNhsa;
    }
    if (name == null) {
      if (nhsa == null || !nhsa.hasDisplay()) {
        throw Hl7ConversionException.missing(where.get().withComponent(2), "药品名称", "drug name");
      }
      name = nhsa.getDisplay();
      ctx.warn(ErrorCode.REQUIRED_FIELD_MISSING, where.get().withComponent(2),
          "药品名称缺失，已使用医保药品名称“" + name + "”", "drug name missing; used the NHSA display '" + name + "'");
    }

    Medication medication = new Medication();
    medication.setId(CONTAINED_ID);
    CodeableConcept code = new CodeableConcept().setText(name);
    if (nhsa != null) {
      code.addCoding(nhsa);
    }
    if (localCode != null) {
      code.addCoding(new Coding(CodeSystems.localDrugSystem(ctx.sendingInstitution), localCode, name));
    }
    medication.setCode(code);
    if (strength != null) {
      String unit = strengthUnit == null || strengthUnit.isEmpty() ? ""
          : strengthUnit.text() != null ? strengthUnit.text() : strengthUnit.code();
      medication.addExtension(Extensions.MEDICATION_STRENGTH, new StringType(strength.toPlainString() + unit));
    }
    if (form != null && !form.isEmpty()) {
      CodeableConcept formConcept = new CodeableConcept().setText(form.display());
      if (form.code() != null && form.system() != null
          && DOSAGE_FORM_SYSTEM_NAMES.contains(form.system().toUpperCase(Locale.ROOT))) {
        formConcept.addCoding(new Coding(CodeSystems.DOSAGE_FORM, form.code(), form.text())
            .setVersion(CodeSystems.DOSAGE_FORM_VERSION));
      }
      medication.setForm(formConcept);
    }
    if (nhsa == null) {
      // The tag belongs on the Medication itself (the Medication profile requires an NHSA or NMPA
      // code, or this tag); callers also tag the order or dispense so it can be found by search.
      medication.getMeta().addTag(Tags.unmatchedDrug());
      ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, where.get().withComponent(1),
          "本地药品编码 " + localCode + "（" + name + "）未匹配到国家医保药品编码，已保留本地编码并标记 unmatched-drug",
          "local drug code " + localCode + " has no NHSA drug code mapping; kept with its local coding and tagged unmatched-drug");
    }
    return new Result(medication, nhsa != null);
  }

  /** The sender's own NHSA code, when it passes the structure check; otherwise ignored. */
  private static Coding nhsaCoding(String code, String display) {
    if (code == null || !NhsaDrugCodeValidator.isValid(code.toUpperCase(Locale.ROOT))) {
      return null;
    }
    return new Coding(IdentifierSystems.NHSA_DRUG_CODE, code.toUpperCase(Locale.ROOT), display);
  }
}
