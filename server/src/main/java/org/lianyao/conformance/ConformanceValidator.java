package org.lianyao.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.annotation.PreDestroy;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.profiles.LianyaoValidationSupportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

/**
 * Validates resources against the Lianyao profiles with the official validator engine
 * (FhirInstanceValidator) on an offline, in-memory validation chain built from the Lianyao
 * package, plus Lianyao's identifier check-digit module. In memory so that enforcing profiles on
 * every write costs no database round trips.
 */
@Service
public class ConformanceValidator {

  private static final Logger log = LoggerFactory.getLogger(ConformanceValidator.class);

  /** Per writing thread: the verdicts of {@link #writingPreValidated}, by resource (identity). */
  private static final ThreadLocal<Map<IBaseResource, Future<Resource>>> VALIDATING = new ThreadLocal<>();

  private final FhirValidator validator;
  private final ValidationMessagesZh chinese = new ValidationMessagesZh();
  // Bulk writes validate on every core: the HL7 validator costs milliseconds per resource, while a
  // transaction writes on one thread.
  private final int threads = Runtime.getRuntime().availableProcessors();
  private final ExecutorService bulkPool = Executors.newFixedThreadPool(threads, daemonThreads("lianyao-validate-"));

  private final FhirContext fhirContext;
  private final boolean warmUpWhenReady;

  /** The server's validator, warmed up once the application is ready when so configured. */
  @Autowired
  public ConformanceValidator(FhirContext fhirContext, ConformanceProperties properties) {
    this(fhirContext, properties.enforce() && properties.warmUp());
  }

  public ConformanceValidator(FhirContext fhirContext) {
    this(fhirContext, false);
  }

  private ConformanceValidator(FhirContext fhirContext, boolean warmUpWhenReady) {
    this.fhirContext = fhirContext;
    this.validator = LianyaoValidationSupportFactory.newValidator(fhirContext);
    this.warmUpWhenReady = warmUpWhenReady;
  }

  /**
   * Runs {@link #warmUp} on one of the validation threads once the application is ready (healthy):
   * during the start itself it would compete for the same cores and delay it (by 6 s on a 2-core
   * machine).
   */
  @EventListener(ApplicationReadyEvent.class)
  void warmUpWhenReady() {
    if (warmUpWhenReady) {
      bulkPool.execute(this::warmUp);
    }
  }

  /**
   * Validates one example of each profiled type from the Lianyao package. The HL7 validator loads
   * the FHIR core definitions and builds its caches on first use: after a restart the first
   * MedicationRequest took 7 s to validate, against 0.25 s for the next: without a warm-up that falls
   * on the first HIS write (and its HL7 ACK timeout). Never fails: validation works unwarmed.
   *
   * @return how many resources it validated
   */
  public int warmUp() {
    long start = System.nanoTime();
    try {
      Map<String, IBaseResource> oneOfEachType = new LinkedHashMap<>();
      for (IBaseResource example : LianyaoPackage.get().examples(fhirContext)) {
        if (profileFor(example.fhirType()).isPresent()) {
          oneOfEachType.putIfAbsent(example.fhirType(), example);
        }
      }
      oneOfEachType.values().forEach(this::validate);
      log.info("Profile validator warmed up on {} in {} ms", oneOfEachType.keySet(),
          (System.nanoTime() - start) / 1_000_000);
      return oneOfEachType.size();
    } catch (RuntimeException e) {
      log.warn("Profile validator warm-up failed ({}); the first writes will load what it would have", e.toString());
      return 0;
    }
  }

  /** The Lianyao profile of a resource type, if the type is profiled. */
  public Optional<String> profileFor(String resourceType) {
    return LianyaoPackage.profileUrl(resourceType);
  }

  /**
   * Declares the type's Lianyao profile in {@code meta.profile} when the client did not, so that
   * every profiled resource is validated against (and stored with) its profile.
   */
  public void declareProfile(IBaseResource resource) {
    String type = resource.fhirType();
    profileFor(type).ifPresent(url -> {
      List<CanonicalType> declared = ((Resource) resource).getMeta().getProfile();
      if (declared.stream().noneMatch(p -> url.equals(p.getValue()))) {
        ((Resource) resource).getMeta().addProfile(url);
      }
    });
  }

  public ValidationResult validate(IBaseResource resource) {
    return validator.validateWithResult(resource);
  }

  /**
   * Runs {@code write} (a transaction of many resources, such as a catalog import) while the
   * profiled {@code resources} are validated alongside it on all cores, in their order. When storage
   * enforcement reaches one of these resources inside {@code write} (on this thread),
   * {@link #isPreValidated} waits for its verdict and accepts it if the resource conformed and has not
   * changed since; otherwise enforcement validates it itself as usual, so the verdict stays the
   * validator's. The validators work on copies taken before {@code write} starts: the transaction may
   * change the resources (ids, versions) while they are being validated.
   */
  public <T> T writingPreValidated(Collection<? extends IBaseResource> resources, Supplier<T> write) {
    Map<IBaseResource, Future<Resource>> verdicts = new IdentityHashMap<>();
    for (IBaseResource resource : resources) {
      if (resource != null && profileFor(resource.fhirType()).isPresent()) {
        declareProfile(resource);
        Resource copy = ((Resource) resource).copy();
        verdicts.put(resource, bulkPool.submit(() -> hasErrors(validate(copy)) ? null : copy));
      }
    }
    long start = System.currentTimeMillis();
    Map<IBaseResource, Future<Resource>> outer = VALIDATING.get();
    VALIDATING.set(verdicts);
    try {
      return write.get();
    } finally {
      if (outer == null) {
        VALIDATING.remove();
      } else {
        VALIDATING.set(outer);
      }
      // A refused write leaves nothing to validate for.
      verdicts.values().forEach(f -> f.cancel(false));
      log.info("Validated {} resources alongside a {} ms write on {} threads", verdicts.size(),
          System.currentTimeMillis() - start, threads);
    }
  }

  /**
   * Whether {@code resource}, as it is now, conformed when validated for the current
   * {@link #writingPreValidated} (waiting for that verdict if need be).
   */
  public boolean isPreValidated(IBaseResource resource) {
    Map<IBaseResource, Future<Resource>> verdicts = VALIDATING.get();
    Future<Resource> verdict = verdicts == null ? null : verdicts.get(resource);
    if (verdict == null) {
      return false;
    }
    try {
      Resource conforming = verdict.get(); // the copy that was validated, if it conformed
      return conforming != null && sameContent(conforming, resource);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | CancellationException e) {
      return false; // the caller validates it itself
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
    factory.setDaemon(true);
    return factory;
  }

  /** Stops the validation threads with the application. */
  @PreDestroy
  void close() {
    bulkPool.shutdownNow();
  }

  /** Equal apart from what the server sets itself (id, version, last updated, source). */
  static boolean sameContent(IBaseResource previous, IBaseResource resource) {
    if (!(previous instanceof Resource before)
        || !(resource instanceof Resource after)
        || !before.fhirType().equals(after.fhirType())) {
      return false;
    }
    Resource a = before.copy();
    Resource b = after.copy();
    for (Resource r : List.of(a, b)) {
      r.getMeta().setVersionIdElement(null).setLastUpdatedElement(null).setSourceElement(null);
    }
    a.setIdElement(null);
    b.setIdElement(null);
    return a.equalsDeep(b);
  }

  /**
   * For {@code $validate}: the same verdict, each message worded {@code 中文 / English} because
   * HAPI renders the operation's OperationOutcome from the message texts itself.
   */
  public ValidationResult validateForOperation(IBaseResource resource) {
    ValidationResult result = validate(resource);
    List<SingleValidationMessage> worded = new java.util.ArrayList<>();
    for (SingleValidationMessage m : result.getMessages()) {
      String[] texts = chinese.texts(m);
      SingleValidationMessage copy = new SingleValidationMessage();
      copy.setSeverity(m.getSeverity());
      copy.setLocationString(m.getLocationString());
      copy.setLocationLine(m.getLocationLine());
      copy.setLocationCol(m.getLocationCol());
      copy.setMessageId(m.getMessageId());
      copy.setMessage(texts[0] + " / " + texts[1]);
      worded.add(copy);
    }
    return new ValidationResult(result.getContext(), worded);
  }

  public static boolean hasErrors(ValidationResult result) {
    return result.getMessages().stream().anyMatch(ConformanceValidator::isError);
  }

  private static boolean isError(SingleValidationMessage m) {
    return m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL;
  }

  /**
   * An OperationOutcome with one issue per message: Chinese text first (details.text), the
   * validator's English message as diagnostics, and the element path as expression.
   */
  public OperationOutcome toOperationOutcome(ValidationResult result, boolean errorsOnly) {
    OperationOutcome outcome = new OperationOutcome();
    for (SingleValidationMessage m : result.getMessages()) {
      if (errorsOnly && !isError(m)) {
        continue;
      }
      String[] texts = chinese.texts(m);
      OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
          .setSeverity(severity(m.getSeverity()))
          .setCode(OperationOutcome.IssueType.PROCESSING)
          .setDetails(new CodeableConcept().setText(texts[0]))
          .setDiagnostics(texts[1]);
      if (m.getLocationString() != null) {
        issue.addExpression(m.getLocationString());
      }
    }
    return outcome;
  }

  private static OperationOutcome.IssueSeverity severity(ResultSeverityEnum s) {
    return switch (s) {
      case FATAL -> OperationOutcome.IssueSeverity.FATAL;
      case ERROR -> OperationOutcome.IssueSeverity.ERROR;
      case WARNING -> OperationOutcome.IssueSeverity.WARNING;
      default -> OperationOutcome.IssueSeverity.INFORMATION;
    };
  }
}
