package org.lianyao.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.springframework.stereotype.Component;

/**
 * Gives every conditional create of a transaction ({@code POST} with {@code ifNoneExist}) its resource
 * type, {@code Patient?identifier=…} instead of the specification's {@code identifier=…}, before HAPI
 * processes the bundle. Both forms name the same search and HAPI answers them alike.
 *
 * <p>Why: HAPI (8.8) resolves a transaction's conditional URLs up front, one query for all the
 * identifiers of a type, but its pre-fetch only picks up an {@code ifNoneExist} that contains a
 * {@code ?}. Without the type every conditional create ran its own search inside the transaction: in
 * a prescription bundle of 10 patients and 100 prescriptions, 110 searches and about 15 % of the
 * gateway's CPU for the bundle. HIS systems and Lianyao's own feeds write the specification's form.
 * Registered for storage, so it also covers the feeds' transactions that do not come through REST.
 */
@Component
public class ConditionalCreateUrls implements GatewayInterceptor {

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
  public void qualify(IBaseBundle bundle) {
    if (bundle instanceof Bundle r4) {
      qualify(r4);
    }
  }

  /** Rewrites the bundle's conditional creates in place; returns how many it changed. */
  static int qualify(Bundle bundle) {
    int changed = 0;
    for (BundleEntryComponent entry : bundle.getEntry()) {
      BundleEntryRequestComponent request = entry.getRequest();
      String ifNoneExist = request.getIfNoneExist();
      if (request.getMethod() != HTTPVerb.POST || ifNoneExist == null || ifNoneExist.isBlank()
          || ifNoneExist.indexOf('?') >= 0) {
        continue;
      }
      String type = entry.getResource() != null ? entry.getResource().fhirType() : typeOf(request.getUrl());
      if (type != null) {
        request.setIfNoneExist(type + "?" + ifNoneExist);
        changed++;
      }
    }
    return changed;
  }

  /** The type a POST's URL names ({@code Patient}, {@code Patient/}); null if it names none. */
  private static String typeOf(String url) {
    if (url == null) {
      return null;
    }
    String type = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return type.matches("[A-Z][A-Za-z]{1,63}") ? type : null;
  }
}
