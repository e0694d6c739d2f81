package org.lianyao.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.Resource;

/**
 * The HL7 validator's view of a validation chain whose conformance resources never change after it
 * is built (every Lianyao chain: the bundled core definitions plus the locked package), remembering
 * what each canonical URL resolved to.
 *
 * <p>Why: the validator looks the same profile, extension definition and value set up many times
 * per resource, and HAPI's adapter does the whole resolution each time (resource type by
 * reflection, the chain's cache, the R5 copy): 11 % of a MedicationRequest validation in a
 * steady-state profile (bench/results-validation.md).
 *
 * <p>Found resources are kept without limit: there are as many as the chain holds. URLs that resolve
 * to nothing come from the validated content (any extension URL a member system sends), so at most
 * {@value #MAX_REMEMBERED_MISSES} of them are remembered; the rest are looked up each time, as before.
 */
final class FixedChainWorkerContext extends WorkerContextValidationSupportAdapter {

  static final int MAX_REMEMBERED_MISSES = 10_000;

  private record Lookup(Class<?> type, String url) {}

  private final Map<Lookup, Optional<Resource>> resolved = new ConcurrentHashMap<>();
  private final AtomicInteger misses = new AtomicInteger();

  FixedChainWorkerContext(IValidationSupport fixedChain) {
    super(fixedChain);
  }

  @Override
  public <T extends Resource> T fetchResource(Class<T> type, String url) {
    if (type == null || url == null) {
      return super.fetchResource(type, url);
    }
    Lookup lookup = new Lookup(type, url);
    Optional<Resource> known = resolved.get(lookup);
    if (known != null) {
      return type.cast(known.orElse(null));
    }
    T fetched = super.fetchResource(type, url);
    if (fetched != null) {
      resolved.put(lookup, Optional.of(fetched));
    } else if (misses.getAndUpdate(n -> Math.min(n + 1, MAX_REMEMBERED_MISSES)) < MAX_REMEMBERED_MISSES) {
      resolved.put(lookup, Optional.empty());
    }
    return fetched;
  }

  @Override
  public void invalidateCaches() {
    resolved.clear();
    misses.set(0);
    super.invalidateCaches();
  }

  /** How many lookups are remembered (found or not): for tests. */
  int rememberedLookups() {
    return resolved.size();
  }
}
