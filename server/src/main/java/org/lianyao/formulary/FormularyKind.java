package org.lianyao.formulary;

import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.lianyao.terminology.CodeSystems;

/** 目录类型 (CodeSystem {@code formulary-kind}): the consortium catalog or a member's own formulary. */
public enum FormularyKind {
  /** 医联体目录: the consortium's catalog, one version per year, published by the pharmacy committee. */
  CONSORTIUM("consortium", "医联体目录"),
  /** 成员单位目录: a member institution's formulary, inside one consortium version. */
  MEMBER("member", "成员单位目录");

  private final String code;
  private final String display;

  FormularyKind(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public Coding toCoding() {
    return new Coding(CodeSystems.FORMULARY_KIND, code, display);
  }

  /** The kind an InsurancePlan declares in {@code type}, if any. */
  public static Optional<FormularyKind> of(InsurancePlan plan) {
    for (CodeableConcept type : plan.getType()) {
      for (Coding coding : type.getCoding()) {
        if (CodeSystems.FORMULARY_KIND.equals(coding.getSystem())) {
          for (FormularyKind kind : values()) {
            if (kind.code.equals(coding.getCode())) {
              return Optional.of(kind);
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
