package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SubscriptionMatcherInterceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.util.ReflectionTestUtils;

class SubscribedTypesOnlyMatcherTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  private final List<ActiveSubscription> active = new ArrayList<>();
  private final List<IBaseResource> handedOn = new ArrayList<>();
  /** Records what reaches HAPI's processing instead of processing it (no HAPI services here). */
  private final SubscribedTypesOnlyMatcher matcher = new SubscribedTypesOnlyMatcher(CTX, () -> active) {
    @Override
    protected ResourceModifiedMessage createResourceModifiedMessage(IBaseResource resource,
        ResourceModifiedMessage.OperationTypeEnum operationType, RequestDetails request) {
      handedOn.add(resource);
      return new ResourceModifiedMessage(CTX, resource, operationType);
    }

    @Override
    protected void processResourceModifiedMessage(ResourceModifiedMessage message) {}
  };

  {
    // HAPI injects its broadcaster into a private field; an empty interceptor service has no hooks.
    ReflectionTestUtils.setField(matcher, "myInterceptorBroadcaster", new InterceptorService());
  }

  @Test
  void withoutSubscriptionsOnlySubscriptionChangesReachHapi() {
    assertThat(passes(new Patient().setId("Patient/1"))).isFalse();
    assertThat(passes(new AuditEvent().setId("AuditEvent/2"))).isFalse();
    // A new Subscription's own message is what activates and registers it.
    assertThat(passes(new Subscription().setId("Subscription/3"))).isTrue();
  }

  @Test
  void aChangeReachesHapiWhenASubscriptionWatchesItsType() {
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

  @Test
  void replacesHapisBeanUnlessTheGatewayInterceptorsAreOff() {
    assertThat(matcherClassAfterReplacement(new MockEnvironment()))
        .isEqualTo(SubscribedTypesOnlyMatcher.class.getName());
    assertThat(matcherClassAfterReplacement(
        new MockEnvironment().withProperty("lianyao.fhir.gateway-interceptors-enabled", "false")))
        .isEqualTo(SubscriptionMatcherInterceptor.class.getName());
  }

  @Test
  void failsTheStartWhenHapiNoLongerDeclaresItsMatcher() {
    SubscribedTypesOnlyMatcher.Replacement replacement = new SubscribedTypesOnlyMatcher.Replacement();
    replacement.setEnvironment(new MockEnvironment());
    assertThatThrownBy(() -> replacement.postProcessBeanDefinitionRegistry(new DefaultListableBeanFactory()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SubscribedTypesOnlyMatcher.HAPI_BEAN_NAME);
  }

  private boolean passes(IBaseResource resource) {
    int before = handedOn.size();
    matcher.resourceCreated(resource, null);
    return handedOn.size() > before;
  }

  /** The class of HAPI's matcher bean once the replacement has run in that environment. */
  private static String matcherClassAfterReplacement(MockEnvironment environment) {
    DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
    factory.registerBeanDefinition(SubscribedTypesOnlyMatcher.HAPI_BEAN_NAME,
        new RootBeanDefinition(SubscriptionMatcherInterceptor.class));
    SubscribedTypesOnlyMatcher.Replacement replacement = new SubscribedTypesOnlyMatcher.Replacement();
    replacement.setEnvironment(environment);
    replacement.postProcessBeanDefinitionRegistry(factory);
    return factory.getBeanDefinition(SubscribedTypesOnlyMatcher.HAPI_BEAN_NAME).getBeanClassName();
  }

  private static ActiveSubscription subscription(String criteria) {
    CanonicalSubscription canonical = new CanonicalSubscription();
    canonical.setIdElement(new org.hl7.fhir.r4.model.IdType("Subscription/" + criteria.hashCode()));
    canonical.setCriteriaString(criteria);
    return new ActiveSubscription(canonical, "channel-" + criteria.hashCode());
  }
}
