package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

class SubscribedTypesOnlyInterceptorTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  private final List<ActiveSubscription> active = new ArrayList<>();
  private final SubscribedTypesOnlyInterceptor filter = new SubscribedTypesOnlyInterceptor(CTX, () -> active);

  @Test
  void withoutSubscriptionsOnlySubscriptionChangesPass() {
    assertThat(passes(new Patient().setId("Patient/1"))).isFalse();
    assertThat(passes(new AuditEvent().setId("AuditEvent/2"))).isFalse();
    // A new Subscription's own message is what activates and registers it.
    assertThat(passes(new Subscription().setId("Subscription/3"))).isTrue();
  }

  @Test
  void aChangePassesWhenASubscriptionWatchesItsType() {
    active.add(subscription("MedicationRequest?status=cancelled"));

    assertThat(passes(new MedicationRequest().setId("MedicationRequest/4"))).isTrue();
    assertThat(passes(new AuditEvent().setId("AuditEvent/5"))).isFalse();
    assertThat(passes(new Patient().setId("Patient/6"))).isFalse();
  }

  @Test
  void multiTypeAndAllTypeCriteriaAreHonoured() {
    active.add(subscription("[Patient,MedicationDispense]"));
    assertThat(passes(new Patient().setId("Patient/7"))).isTrue();
    assertThat(passes(new AuditEvent().setId("AuditEvent/8"))).isFalse();

    active.add(subscription("[*]"));
    assertThat(passes(new AuditEvent().setId("AuditEvent/9"))).isTrue();
  }

  private boolean passes(IBaseResource resource) {
    return filter.someSubscriptionWatches(new ResourceModifiedMessage(CTX, resource, OperationTypeEnum.CREATE));
  }

  private static ActiveSubscription subscription(String criteria) {
    CanonicalSubscription canonical = new CanonicalSubscription();
    canonical.setIdElement(new org.hl7.fhir.r4.model.IdType("Subscription/" + criteria.hashCode()));
    canonical.setCriteriaString(criteria);
    return new ActiveSubscription(canonical, "channel-" + criteria.hashCode());
  }
}
