package org.lianyao.security.fhir;

/**
 * Why a request is refused.
 *
 * @param chinese user-facing text (OperationOutcome details)
 * @param english diagnostic for developers and logs
 * @param missingRight the right that was missing, e.g. {@code system/MedicationRequest.c} or
 *     {@code own-institution}
 */
public record Denial(String chinese, String english, String missingRight) {}
