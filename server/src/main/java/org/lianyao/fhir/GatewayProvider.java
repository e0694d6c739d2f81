package org.lianyao.fhir;

/**
 * Marks a HAPI plain provider or resource provider bean (custom FHIR operations such as
 * {@code $shared-prescriptions}); {@link FhirServerConfig} registers every such bean with the
 * RESTful server.
 */
public interface GatewayProvider {}
