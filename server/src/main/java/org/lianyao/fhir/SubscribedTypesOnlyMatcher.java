package org.lianyao.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SubscriptionMatcherInterceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Collection;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * HAPI's subscription matcher, handed a changed resource only if an active subscription could
 * match its type.
 *
 * <p>Why: HAPI's matcher encodes every created, updated or deleted resource into a message, stores
 * it and later reads the resource back to match it against the subscriptions — about a millisecond
 * of CPU per write, most of it before any hook could stop it — while the gateway's subscriptions
 * (HIS rest-hooks for prescription notices) watch a few types only: audit events, patients and
 * formulary items would be matched for nothing. Changes to Subscription resources always pass,
 * since their own messages activate and register them; a subscription on all types ({@code [*]})
 * or on a topic lets everything pass.
 *
 * <p>The registry is this node's view of the active subscriptions: a subscription activated on
 * another node watches its type here once HAPI has synchronised it (its regular refresh), as it is
 * matched here only from then on anyway.
 */
public class SubscribedTypesOnlyMatcher extends SubscriptionMatcherInterceptor {

  /** The bean HAPI's {@code SubscriptionMatcherInterceptorConfig} declares and its loader registers. */
  static final String HAPI_BEAN_NAME = "subscriptionMatcherInterceptor";

  private final FhirContext fhirContext;
  private final Supplier<Collection<ActiveSubscription>> activeSubscriptions;

  public SubscribedTypesOnlyMatcher(FhirContext fhirContext, SubscriptionRegistry registry) {
    this(fhirContext, registry::getAll);
  }

  SubscribedTypesOnlyMatcher(FhirContext fhirContext, Supplier<Collection<ActiveSubscription>> activeSubscriptions) {
    this.fhirContext = fhirContext;
    this.activeSubscriptions = activeSubscriptions;
    setFhirContext(fhirContext);
  }

  @Override
  protected void processResourceModifiedEvent(IBaseResource resource,
      ResourceModifiedMessage.OperationTypeEnum operationType, RequestDetails request) {
    if (someSubscriptionWatches(fhirContext.getResourceType(resource))) {
      super.processResourceModifiedEvent(resource, operationType, request);
    }
  }

  boolean someSubscriptionWatches(String type) {
    if (type == null || "Subscription".equals(type)) {
      return true;
    }
    for (ActiveSubscription subscription : activeSubscriptions.get()) {
      if (watches(subscription, type)) {
        return true;
      }
    }
    return false;
  }

  private static boolean watches(ActiveSubscription subscription, String type) {
    if (subscription.getSubscription() != null && subscription.getSubscription().isTopicSubscription()) {
      return true;
    }
    SubscriptionCriteriaParser.SubscriptionCriteria criteria = subscription.getCriteria();
    return criteria == null
        || criteria.getType() == SubscriptionCriteriaParser.TypeEnum.STARTYPE_EXPRESSION
        || criteria.getApplicableResourceTypes() == null
        || criteria.getApplicableResourceTypes().contains(type);
  }

  /**
   * Puts this matcher in place of HAPI's under HAPI's bean name, so that HAPI's loader registers it
   * (and its own fields are injected as for HAPI's); not for the plain-HAPI baseline
   * ({@code lianyao.fhir.gateway-interceptors-enabled=false}). Fails the start if HAPI no longer
   * declares that bean, rather than silently matching every write again.
   */
  static class Replacement implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    private boolean enabled = true;

    @Override
    public void setEnvironment(Environment environment) {
      // Runs before @ConfigurationProperties are bound: read the property the same (relaxed) way.
      enabled = Binder.get(environment).bind("lianyao.fhir.gateway-interceptors-enabled", Boolean.class).orElse(true);
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
      if (!enabled) {
        return;
      }
      if (!registry.containsBeanDefinition(HAPI_BEAN_NAME)) {
        throw new IllegalStateException("HAPI FHIR no longer declares the bean '" + HAPI_BEAN_NAME
            + "' (SubscriptionMatcherInterceptorConfig): update SubscribedTypesOnlyMatcher");
      }
      RootBeanDefinition definition = new RootBeanDefinition(SubscribedTypesOnlyMatcher.class);
      definition.setAutowireMode(AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR);
      registry.removeBeanDefinition(HAPI_BEAN_NAME);
      registry.registerBeanDefinition(HAPI_BEAN_NAME, definition);
    }
  }
}
