package org.lianyao.security.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.lianyao.security.Caller;

/**
 * Extension point for the prescription-sharing rules (处方共享): may this caller see patient data
 * that belongs to another institution? Every Spring bean implementing it is consulted by
 * {@link SharingConsentService} for each such resource a read or search would return; a refused
 * resource is left out of the result (a search returns the rest), and the refusal is audited. One
 * REFUSE wins over any ALLOW; when every policy abstains the resource is refused (least
 * privilege). Every cross-institution read that is allowed is audited as well.
 *
 * <p>Example: a policy that honours a patient's refusal Consent returns REFUSE for that patient's
 * prescriptions from other institutions, ABSTAIN otherwise.
 */
public interface SharingPolicy {

  enum Decision {
    ALLOW,
    REFUSE,
    ABSTAIN
  }

  /**
   * May this policy refuse anything to this caller in this request? When no policy may, HAPI need
   * not filter search results before paging (which costs the reuse of cached search results); the
   * resources are still checked and audited as they are shown. Return true when unsure.
   */
  default boolean mayRefuse(Caller caller, RequestDetails request) {
    return true;
  }

  /**
   * @param caller the authenticated caller
   * @param resource a patient-data resource of another institution (or of none that can be told)
   * @param request the HAPI request
   */
  Decision decide(Caller caller, IBaseResource resource, RequestDetails request);
}
