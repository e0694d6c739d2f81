package org.lianyao.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import java.util.Objects;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Builds the offline validation set-up for Lianyao resources: no terminology server and no package
 * registry is contacted. The chain holds HAPI's bundled R4 core definitions, the Lianyao package's
 * conformance resources (profiles with snapshots, extensions, code systems and value sets), HAPI's
 * in-memory terminology service (expands and checks the bundled value sets, e.g. the national route
 * and dosage-form tables), its built-in common code systems (UCUM, MIME types, languages, …) and a
 * snapshot generator for any profile that arrives without one.
 *
 * <p>Caching: since HAPI 8 the {@link ValidationSupportChain} caches itself (the older
 * {@code CachingValidationSupport} wrapper is deprecated), so the chain is built with
 * {@link ValidationSupportChain.CacheConfiguration#defaultValues()}.
 *
 * <p>Chains and validators are expensive (seconds, tens of MB): build one per application and share
 * it; both are thread-safe.
 */
public final class LianyaoValidationSupportFactory {

  private LianyaoValidationSupportFactory() {}

  /** The offline chain over the package bundled in this jar. */
  public static ValidationSupportChain newValidationSupportChain(FhirContext fhirContext) {
    return newValidationSupportChain(fhirContext, LianyaoPackage.get());
  }

  public static ValidationSupportChain newValidationSupportChain(FhirContext fhirContext, LianyaoPackage lianyaoPackage) {
    requireR4(fhirContext);
    return new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.defaultValues(),
        new DefaultProfileValidationSupport(fhirContext),
        newPackageValidationSupport(fhirContext, lianyaoPackage),
        new CommonCodeSystemsTerminologyService(fhirContext),
        new InMemoryTerminologyServerValidationSupport(fhirContext),
        new SnapshotGeneratingValidationSupport(fhirContext));
  }

  /**
   * Only the package's conformance resources (StructureDefinitions, CodeSystems, ValueSets,
   * SearchParameters), locked read-only: for adding Lianyao to a chain the server builds itself.
   */
  public static PrePopulatedValidationSupport newPackageValidationSupport(FhirContext fhirContext,
      LianyaoPackage lianyaoPackage) {
    requireR4(fhirContext);
    PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(fhirContext);
    for (IBaseResource resource : Objects.requireNonNull(lianyaoPackage, "lianyaoPackage").conformanceResources(fhirContext)) {
      // ConceptMaps and NamingSystems are not used by the validator; addResource ignores them.
      support.addResource(resource);
    }
    support.lock();
    return support;
  }

  /**
   * The official HL7 validator engine on {@code validationSupport}. A resource claiming an unknown
   * profile is an error (a typo in meta.profile must not turn validation off); extensions outside
   * the package stay allowed, as members' systems add their own.
   *
   * <p>The engine is reused across resources and remembers what each canonical URL resolved to
   * ({@link ReusingInstanceValidator}), so {@code validationSupport}'s conformance resources must not
   * change once it validates (true of every Lianyao chain); {@link FhirInstanceValidator#invalidateCaches()}
   * forgets them.
   */
  public static FhirInstanceValidator newInstanceValidator(IValidationSupport validationSupport) {
    return withLianyaoSettings(new ReusingInstanceValidator(validationSupport));
  }

  /**
   * HAPI's {@link FhirInstanceValidator} as shipped (a new engine per resource), with the settings of
   * {@link #newInstanceValidator}: the baseline that tests and benchmarks compare Lianyao's against.
   */
  public static FhirInstanceValidator newStockInstanceValidator(IValidationSupport validationSupport) {
    return withLianyaoSettings(new FhirInstanceValidator(validationSupport));
  }

  private static FhirInstanceValidator withLianyaoSettings(FhirInstanceValidator instanceValidator) {
    instanceValidator.setErrorForUnknownProfiles(true);
    instanceValidator.setAnyExtensionsAllowed(true);
    return instanceValidator;
  }

  /**
   * A complete validator: the HL7 instance validator on {@code validationSupport} plus the
   * {@link LianyaoIdentifierValidatorModule} with default severities.
   */
  public static FhirValidator newValidator(FhirContext fhirContext, IValidationSupport validationSupport) {
    FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(newInstanceValidator(validationSupport));
    validator.registerValidatorModule(new LianyaoIdentifierValidatorModule());
    return validator;
  }

  /** {@link #newValidator(FhirContext, IValidationSupport)} on a new offline chain. */
  public static FhirValidator newValidator(FhirContext fhirContext) {
    return newValidator(fhirContext, newValidationSupportChain(fhirContext));
  }

  private static void requireR4(FhirContext fhirContext) {
    if (Objects.requireNonNull(fhirContext, "fhirContext").getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException("Lianyao profiles are FHIR R4; got a "
          + fhirContext.getVersion().getVersion() + " context");
    }
  }
}
