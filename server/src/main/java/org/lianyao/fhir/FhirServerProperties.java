package org.lianyao.fhir;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * FHIR server settings ({@code lianyao.fhir.*}).
 *
 * @param defaultPageSize search page size when the client gives no {@code _count}
 * @param maxPageSize largest {@code _count} honoured
 * @param serverAddress public base URL written into links (e.g. behind a reverse proxy); blank
 *     means "derive from the incoming request"
 * @param openapiEnabled serve HAPI's OpenAPI document and Swagger UI
 * @param reuseCachedSearchResultsMillis how long an identical search may reuse cached results
 * @param gatewayInterceptorsEnabled false runs plain HAPI JPA (no Lianyao interceptors): the
 *     benchmark baseline
 * @param unindexedSearchParameters built-in FHIR search parameters not indexed, by resource type
 *     (e.g. {@code AuditEvent: [entity-type, entity-role]}); see {@link UnindexedSearchParameters}
 */
@ConfigurationProperties("lianyao.fhir")
public record FhirServerProperties(
    @DefaultValue("20") int defaultPageSize,
    @DefaultValue("200") int maxPageSize,
    String serverAddress,
    @DefaultValue("true") boolean openapiEnabled,
    @DefaultValue("60000") long reuseCachedSearchResultsMillis,
    @DefaultValue("true") boolean gatewayInterceptorsEnabled,
    Map<String, List<String>> unindexedSearchParameters) {

  public Map<String, List<String>> unindexedSearchParameters() {
    return unindexedSearchParameters == null ? Map.of() : unindexedSearchParameters;
  }
}
