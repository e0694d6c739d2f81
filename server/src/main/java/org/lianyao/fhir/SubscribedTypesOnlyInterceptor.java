package org.lianyao.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.Collection;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Hands a changed resource to HAPI's subscription module only if an active subscription could match
 * its type.
 *
 * <p>Why: HAPI otherwise stores a message for every created, updated or deleted resource and reads
 * the resource back to match it against the subscriptions — about a millisecond of CPU per write
 * (measured on the audit events written for cross-institution reads) — while the gateway's
 * subscriptions (HIS rest-hooks for prescription notices) watch a few types only: audit events,
 * patients and formulary items would be matched for nothing. Changes to Subscription resources
 * always pass, since their own messages activate and register them; a subscription on all types
 * ({@code [*]}) or on a topic lets everything pass.
 *
 * <p>The registry is this node's view of the active subscriptions: a subscription activated on
 * another node watches its type here once HAPI has synchronised it (its regular refresh), as it is
 * matched here only from then on anyway.
 */
@Component
public class SubscribedTypesOnlyInterceptor implements GatewayInterceptor {

  private final FhirContext fhirContext;
  private final Supplier<Collection<ActiveSubscription>> activeSubscriptions;

  @Autowired
  public SubscribedTypesOnlyInterceptor(FhirContext fhirContext, SubscriptionRegistry registry) {
    this(fhirContext, registry::getAll);
  }

  SubscribedTypesOnlyInterceptor(FhirContext fhirContext, Supplier<Collection<ActiveSubscription>> activeSubscriptions) {
    this.fhirContext = fhirContext;
    this.activeSubscriptions = activeSubscriptions;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  /** HAPI stops processing the change when a hook of this pointcut returns false. */
  @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
  public boolean someSubscriptionWatches(ResourceModifiedMessage message) {
    String type = message.getResourceType(fhirContext);
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
}
