package org.lianyao.conformance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Profile conformance ({@code lianyao.conformance.*}).
 *
 * @param enforce validate every create, update and transaction entry of a profiled type against
 *     its Lianyao profile and reject non-conforming resources with HTTP 422
 * @param installPackage install the Lianyao FHIR package (profiles, search parameters,
 *     terminology) into the server at start when its content changed
 */
@ConfigurationProperties("lianyao.conformance")
public record ConformanceProperties(
    @DefaultValue("true") boolean enforce,
    @DefaultValue("true") boolean installPackage) {}
