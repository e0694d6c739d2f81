package org.lianyao.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.util.Set;
import org.lianyao.fhir.GatewayInterceptor;

/**
 * HAPI's consent interceptor running {@link SharingConsentService}, registered on REST requests.
 *
 * <p>Requests that cannot return another institution's patient data skip consent processing: writes
 * (ownership is enforced by the authorization rules) and reads or searches of other types without
 * {@code _include}/{@code _revinclude}. They keep HAPI's search-result cache and may use
 * {@code _summary=count}, which HAPI refuses while consent filtering is active because a count
 * would reveal what was withheld.
 */
public class GatewayConsentInterceptor extends ConsentInterceptor implements GatewayInterceptor {

  private static final Set<RestOperationTypeEnum> WRITES = Set.of(RestOperationTypeEnum.CREATE,
      RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH, RestOperationTypeEnum.DELETE);
  private static final Set<RestOperationTypeEnum> TYPED_READS = Set.of(RestOperationTypeEnum.READ,
      RestOperationTypeEnum.VREAD, RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.HISTORY_INSTANCE,
      RestOperationTypeEnum.HISTORY_TYPE);

  public GatewayConsentInterceptor(SharingConsentService service) {
    super(service);
  }

  /** Runs before the consent interceptor's own start-of-request hook. */
  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -10)
  public void skipWhereNoForeignPatientData(RequestDetails request) {
    if (cannotReturnForeignPatientData(request)) {
      ConsentInterceptor.skipAllConsentForRequest(request);
    }
  }

  static boolean cannotReturnForeignPatientData(RequestDetails request) {
    RestOperationTypeEnum op = request.getRestOperationType();
    if (op == null) {
      return false;
    }
    if (WRITES.contains(op) && request.getOperation() == null) {
      return true;
    }
    String type = request.getResourceName();
    if (!TYPED_READS.contains(op) || type == null || ResourceOwnership.PATIENT_DATA_TYPES.contains(type)) {
      return false;
    }
    for (String param : request.getParameters().keySet()) {
      if (param.startsWith("_include") || param.startsWith("_revinclude") || param.startsWith("_contained")) {
        return false;
      }
    }
    return true;
  }
}
