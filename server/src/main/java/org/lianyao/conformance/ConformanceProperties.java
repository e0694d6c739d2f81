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
 * @param warmUp validate the package's examples in the background once the application is ready,
 *     so that the first writes after a start do not wait for the validator to load the FHIR core
 *     definitions
 */
@ConfigurationProperties("lianyao.conformance")
public record ConformanceProperties(
    @DefaultValue("true") boolean enforce,
    @DefaultValue("true") boolean installPackage,
    @DefaultValue("true") boolean warmUp) {}
