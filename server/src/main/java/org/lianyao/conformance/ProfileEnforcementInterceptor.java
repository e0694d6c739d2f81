package org.lianyao.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.Collection;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.lianyao.fhir.GatewayInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Enforces the Lianyao profiles on storage: every create and update of a profiled type — over
 * REST, inside a transaction Bundle, or written by a Camel feed through the DAO — gets its profile
 * declared and is validated; a non-conforming resource is rejected with HTTP 422 and a Chinese
 * OperationOutcome. Registered with HAPI's global interceptor service (storage scope) so that no
 * write path escapes it. {@code $validate} gets the same verdict through
 * {@link Pointcut#VALIDATION_COMPLETED}.
 */
@Component
@ConditionalOnProperty(name = "lianyao.conformance.enforce", havingValue = "true", matchIfMissing = true)
public class ProfileEnforcementInterceptor implements GatewayInterceptor {

  private static final Logger log = LoggerFactory.getLogger(ProfileEnforcementInterceptor.class);

  private final ConformanceValidator validator;
  private final FhirContext fhirContext;

  public ProfileEnforcementInterceptor(ConformanceValidator validator, FhirContext fhirContext) {
    this.validator = validator;
    this.fhirContext = fhirContext;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    enforce(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    if (validator.profileFor(resource.fhirType()).isPresent()) {
      validator.declareProfile(resource);
      if (ConformanceValidator.sameContent(previous, resource)) {
        // An idempotent resubmission (HL7 resend, catalog re-import, bundle retry): the stored
        // version is kept as it is, so validating it again cannot change anything.
        return;
      }
    }
    enforce(resource);
  }

  /**
   * A bulk write (a catalog import's transaction) with {@code resources} validated alongside it on
   * all cores instead of one after another inside it; enforcement on write still applies, and takes
   * a conforming verdict for unchanged content ({@link ConformanceValidator#writingPreValidated}).
   */
  public <T> T bulkWrite(Collection<? extends IBaseResource> resources, Supplier<T> write) {
    return validator.writingPreValidated(resources, write);
  }

  /** {@code $validate} of a profiled type answers with the same validator as writes. */
  @Hook(Pointcut.VALIDATION_COMPLETED)
  public ValidationResult validated(IBaseResource resource, String rawResource, ValidationResult result) {
    if (resource == null && rawResource != null && !rawResource.isBlank()) {
      // HAPI validates the raw request body when there is one: parse it for our checks.
      resource = rawResource.stripLeading().startsWith("<")
          ? fhirContext.newXmlParser().parseResource(rawResource)
          : fhirContext.newJsonParser().parseResource(rawResource);
      // POST [type]/$validate wraps the resource in Parameters.
      if (resource instanceof org.hl7.fhir.r4.model.Parameters params && params.getParameter("resource") != null) {
        resource = params.getParameter("resource").getResource();
      }
    }
    if (resource == null || validator.profileFor(resource.fhirType()).isEmpty()) {
      return result;
    }
    validator.declareProfile(resource);
    return validator.validateForOperation(resource);
  }

  private void enforce(IBaseResource resource) {
    if (validator.profileFor(resource.fhirType()).isEmpty()) {
      return;
    }
    validator.declareProfile(resource);
    if (validator.isPreValidated(resource)) {
      return; // validated alongside this write, with this very content
    }
    ValidationResult result = validator.validate(resource);
    if (ConformanceValidator.hasErrors(result)) {
      OperationOutcome outcome = validator.toOperationOutcome(result, true);
      log.info("Rejected non-conforming {}: {} error(s)", resource.fhirType(), outcome.getIssue().size());
      throw new UnprocessableEntityException(fhirContext, outcome);
    }
  }
}
