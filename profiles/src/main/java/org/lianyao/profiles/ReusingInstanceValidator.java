package org.lianyao.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * {@link FhirInstanceValidator} that reuses the HL7 validator engine ({@link InstanceValidator})
 * between resources instead of building one per resource, as HAPI's bridge does, and resolves
 * canonical URLs through a {@link FixedChainWorkerContext} (the chain must not change once it
 * validates).
 *
 * <p>Why: building the engine indexes every StructureDefinition of the chain (677) for its
 * FHIRPath engine and reads the OID table from the classpath: 5 % of a MedicationRequest validation
 * in a steady-state profile (bench/results-validation.md). The engine clears its per-resource state
 * at the start of each validation, but a few of its lists only grow (the codings it saw keep their
 * element trees: about 180 KB per formulary item), so an engine is renewed after
 * {@value #USES_PER_ENGINE} resources, which keeps nearly all of the saving, and at most two idle
 * engines per core (at least four) are kept: memory stays bounded (a few MB) whatever the load.
 *
 * <p>Same engine, same settings and the same post-processing of messages as
 * {@code ValidatorWrapper} in HAPI 8.8 (unknown-profile messages, suppressed binding noise);
 * {@code ReusingInstanceValidatorTest} checks the messages against the stock validator. Engines are
 * configured when built: settings changed later apply after {@link #invalidateCaches()}. Resources
 * given as XML text go to the stock path.
 */
final class ReusingInstanceValidator extends FhirInstanceValidator {

  static final int USES_PER_ENGINE = 16;

  private final BlockingQueue<Engine> idle =
      new ArrayBlockingQueue<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

  ReusingInstanceValidator(IValidationSupport validationSupport) {
    super(validationSupport);
    setWrappedWorkerContext(validationSupport, new FixedChainWorkerContext(validationSupport));
  }

  @Override
  protected List<ValidationMessage> validate(IValidationContext<?> context) {
    if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
      return super.validate(context);
    }
    Engine engine = idle.poll();
    if (engine == null) {
      engine = new Engine(newEngine());
    }
    // An engine that threw may hold a half-validated resource: it is not reused.
    List<ValidationMessage> messages = validate(engine.validator, context);
    if (++engine.uses < USES_PER_ENGINE) {
      idle.offer(engine);
    }
    return messages;
  }

  @Override
  public void invalidateCaches() {
    idle.clear();
    super.invalidateCaches();
  }

  private List<ValidationMessage> validate(InstanceValidator engine, IValidationContext<?> context) {
    String json = context.getResourceAsString();
    List<StructureDefinition> profiles = new ArrayList<>();
    List<ValidationMessage> unknownProfiles = new ArrayList<>();
    for (String url : context.getOptions().getProfiles()) {
      addProfile(url, profiles, unknownProfiles);
    }
    // From the JSON validated, not the resource object: HAPI may validate a resource's raw JSON.
    JsonElement declared = JsonParser.parseString(json).getAsJsonObject().get("meta") instanceof JsonObject meta
        ? meta.get("profile") : null;
    if (declared != null && declared.isJsonArray()) {
      for (JsonElement url : declared.getAsJsonArray()) {
        addProfile(url.getAsString(), profiles, unknownProfiles);
      }
    }
    List<ValidationMessage> messages = new ArrayList<>();
    engine.validate(context.getOptions().getAppContext(), messages,
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        Manager.FhirFormat.JSON, profiles);
    if (profiles.isEmpty()) {
      messages.addAll(unknownProfiles);
    }
    messages.removeIf(m -> m.getMessageId() != null
        && (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
            || (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))));
    for (ValidationMessage m : messages) {
      if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
          || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId())) {
        m.setLevel(isErrorForUnknownProfiles() ? ValidationMessage.IssueSeverity.ERROR
            : ValidationMessage.IssueSeverity.WARNING);
      }
    }
    return messages;
  }

  private void addProfile(String url, List<StructureDefinition> profiles, List<ValidationMessage> unknown) {
    try {
      StructureDefinition profile = provideWorkerContext().fetchResource(StructureDefinition.class, url);
      if (profile != null) {
        profiles.add(profile);
      } else {
        ValidationMessage m = new ValidationMessage();
        m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
        m.setLevel(ValidationMessage.IssueSeverity.ERROR);
        m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
        unknown.add(m);
      }
    } catch (FHIRException e) {
      // as HAPI: a profile that cannot be loaded is left out
    }
  }

  private InstanceValidator newEngine() {
    var workerContext = provideWorkerContext();
    InstanceValidator v = new InstanceValidator(workerContext,
        getHostApplicationServices() != null ? getHostApplicationServices() : new NullEvaluationContext(),
        new XVerExtensionManagerOld(workerContext), new ValidatorSession(), new ValidatorSettings());
    v.setAssumeValidRestReferences(isAssumeValidRestReferences());
    v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
    v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
    v.setResourceIdRule(IdStatus.OPTIONAL);
    v.setNoTerminologyChecks(isNoTerminologyChecks());
    v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
    v.setUnknownCodeSystemsCauseErrors(true);
    v.getExtensionDomains().addAll(getExtensionDomains());
    v.setFetcher(getValidatorResourceFetcher());
    v.setPolicyAdvisor(getValidatorPolicyAdvisor());
    v.setNoExtensibleWarnings(isNoExtensibleWarnings());
    v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
    v.setAllowExamples(isAllowExamples());
    v.setAllowXsiLocation(true);
    return v;
  }

  private static final class Engine {
    final InstanceValidator validator;
    int uses;

    Engine(InstanceValidator validator) {
      this.validator = validator;
    }
  }
}
