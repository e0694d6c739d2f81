package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.search.SearchRuntimeDetails;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.lianyao.fhir.ConditionalCreateUrls;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The conditional creates of a transaction, written as the specification has them
 * ({@code ifNoneExist: identifier=…}), are resolved by HAPI's pre-fetch instead of one search per entry
 * once {@link ConditionalCreateUrls} has given them their type; the outcome (created, then matched on
 * resubmission) is the same either way. The control run takes the interceptor out for one bundle, which
 * also shows that the counter sees the per-entry searches.
 */
class ConditionalCreatePrefetchIT extends PostgresIntegrationTest {

  @Autowired
  IInterceptorService interceptors;

  @Autowired
  ConditionalCreateUrls conditionalCreateUrls;

  /** Counts the searches HAPI's search builder runs (each reports when its select completes). */
  public static class SearchCounter {
    final AtomicInteger searches = new AtomicInteger();

    @Hook(Pointcut.JPA_PERFTRACE_SEARCH_SELECT_COMPLETE)
    public void selected(SearchRuntimeDetails search) {
      searches.incrementAndGet();
    }
  }

  @Test
  void conditionalCreatesOfATransactionAreResolvedTogether() {
    SearchCounter counter = new SearchCounter();
    interceptors.registerInterceptor(counter);
    try {
      // Control: HAPI on its own searches once for each conditional create.
      interceptors.unregisterInterceptor(conditionalCreateUrls);
      Bundle control;
      try {
        control = post(patients(LocalDate.of(1931, 2, 3), 3));
      } finally {
        interceptors.registerInterceptor(conditionalCreateUrls);
      }
      assertThat(statuses(control)).containsOnly("201 Created").hasSize(3);
      int perEntry = counter.searches.getAndSet(0);
      assertThat(perEntry).as("searches without the interceptor").isGreaterThanOrEqualTo(3);

      Bundle first = patients(LocalDate.of(1932, 4, 5), 3);
      assertThat(statuses(post(first))).containsOnly("201 Created").hasSize(3);
      assertThat(counter.searches.getAndSet(0)).as("searches for three new patients").isZero();

      // Resubmitted (a HIS retry): every entry matches the patient created the first time.
      Bundle again = post(first);
      assertThat(statuses(again)).containsOnly("200 OK").hasSize(3);
      assertThat(counter.searches.get()).as("searches for three existing patients").isZero();
    } finally {
      interceptors.unregisterInterceptor(counter);
    }
  }

  private Bundle post(Bundle transaction) {
    return fhirClient().transaction().withBundle(transaction.copy()).execute();
  }

  private static Bundle patients(LocalDate birth, int count) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    List<String> ids = new ArrayList<>();
    while (ids.size() < count) {
      String id = PrescriptionFixtures.residentId(birth);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    for (String id : ids) {
      bundle.addEntry().setResource(PrescriptionFixtures.patient(id, birth, "条件创建"))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
          .setIfNoneExist("identifier=" + URLEncoder.encode(IdentifierSystems.RESIDENT_ID + "|" + id, StandardCharsets.UTF_8));
    }
    return bundle;
  }

  private static List<String> statuses(Bundle response) {
    return response.getEntry().stream().map(BundleEntryComponent::getResponse).map(r -> r.getStatus()).toList();
  }
}
