package org.lianyao.terminology.id;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Identifier;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Validates an identifier value by its system URI, so the server and the feeds can check any
 * incoming Identifier without knowing which validator applies. Systems without a format rule
 * (医疗机构代码, 批准文号) pass any non-blank value; institution-scoped systems
 * ({@code …/prescription-number/{code}} etc.) are checked for a valid institution code in the system.
 *
 * <p>Values are checked exactly as given (no trimming, no upper-casing): the stored value is what
 * searches and duplicate checks compare, so converters must normalise before they validate.
 */
public final class IdentifierValidators {

  private static final Map<String, Function<String, Optional<? extends IdentifierProblem>>> BY_SYSTEM = Map.of(
      IdentifierSystems.RESIDENT_ID, ResidentIdValidator::validate,
      IdentifierSystems.USCC, UsccValidator::validate,
      IdentifierSystems.NHSA_INSTITUTION_CODE, NhsaInstitutionCodeValidator::validate,
      IdentifierSystems.NHSA_DRUG_CODE, NhsaDrugCodeValidator::validate,
      IdentifierSystems.NMPA_STANDARD_CODE, NmpaStandardCodeValidator::validate,
      IdentifierSystems.TRACEABILITY_CODE, TraceabilityCodeValidator::validate);

  private IdentifierValidators() {}

  /**
   * The first problem with {@code value} in {@code system}, or empty if it is acceptable. A blank
   * value is a problem in every system.
   */
  public static Optional<IdentifierProblem> validate(String system, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(CommonProblem.EMPTY_VALUE);
    }
    Optional<String> institution = IdentifierSystems.institutionCodeOf(system);
    if (institution.isPresent()) {
      return NhsaInstitutionCodeValidator.validate(institution.get()).isPresent()
          ? Optional.of(CommonProblem.SYSTEM_INSTITUTION_CODE)
          : Optional.empty();
    }
    Function<String, Optional<? extends IdentifierProblem>> validator = BY_SYSTEM.get(system);
    return validator == null ? Optional.empty() : validator.apply(value).map(IdentifierProblem.class::cast);
  }

  /**
   * Validates a FHIR Identifier by its system and value. An identifier without a system cannot be
   * checked here; whether that is allowed is the caller's (profile's) decision.
   */
  public static Optional<IdentifierProblem> validate(Identifier identifier) {
    if (identifier == null || !identifier.hasSystem()) {
      return identifier == null || !identifier.hasValue()
          ? Optional.of(CommonProblem.EMPTY_VALUE)
          : Optional.empty();
    }
    return validate(identifier.getSystem(), identifier.getValue());
  }

  /** Whether {@code system} has a value format or check-digit rule here. */
  public static boolean hasRule(String system) {
    return BY_SYSTEM.containsKey(system) || IdentifierSystems.institutionCodeOf(system).isPresent();
  }

  /** Problems that do not belong to one identifier type. */
  public enum CommonProblem implements IdentifierProblem {
    EMPTY_VALUE("标识值为空", "identifier value is empty"),
    SYSTEM_INSTITUTION_CODE("标识体系（system）中的医保定点医疗机构编码无效",
        "the NHSA institution code that qualifies this identifier system is invalid");

    public final String chinese;
    public final String english;

    CommonProblem(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    @Override
    public String code() {
      return IdentifierProblem.code("identifier", this);
    }

    @Override
    public String chinese() {
      return chinese;
    }

    @Override
    public String english() {
      return english;
    }
  }
}
