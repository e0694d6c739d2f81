package org.lianyao.prescription.rules;

/**
 * One broken prescription rule.
 *
 * @param code stable machine code (e.g. {@code long-term-max-days}), for clients and tests
 * @param chinese user-facing text (OperationOutcome {@code details.text}, shared view reasons)
 * @param english diagnostic for developers and logs
 */
public record RuleViolation(String code, String chinese, String english) {}
