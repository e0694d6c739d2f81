package org.lianyao.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Integration tests run under Failsafe, which passes {@code lianyao.test.postgres.url} (see the
 * root pom). A Surefire run that selects a whole package ({@code -Dtest='org.lianyao.security.**'})
 * would otherwise start them too: they are skipped there instead of running twice.
 */
public class RunByFailsafe implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return System.getProperty("lianyao.test.postgres.url") != null
        ? ConditionEvaluationResult.enabled("run by Failsafe")
        : ConditionEvaluationResult.disabled("integration test: run by Failsafe (mvn verify)");
  }
}
