package org.lianyao.fhir;

/**
 * Marks a HAPI interceptor bean that Lianyao adds on top of plain HAPI JPA. {@link FhirServerConfig}
 * registers every such bean; with {@code lianyao.fhir.gateway-interceptors-enabled=false} none is
 * registered, which is the benchmark baseline.
 */
public interface GatewayInterceptor {

  /**
   * Where the interceptor is registered. {@link Scope#STORAGE} interceptors go to HAPI's global
   * interceptor service so they also see writes that do not come through REST (Camel feeds, demo
   * loader); {@link Scope#REST} ones see only REST requests.
   */
  default Scope scope() {
    return Scope.REST;
  }

  enum Scope {
    REST,
    STORAGE
  }
}
