package org.lianyao.prescription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.security.web.OperationOutcomes;
import org.springframework.stereotype.Component;

/**
 * Answers HAPI's unique-index refusal of a second Patient with the same resident ID
 * ({@link PatientIdentityInstaller}) in Chinese, naming the patient that already has it and how to
 * post idempotently (conditional create). Status stays 409.
 */
@Component
public class DuplicatePatientInterceptor implements GatewayInterceptor {

  private static final Pattern EXISTING = Pattern.compile("existing index belongs to (Patient/[A-Za-z0-9\\-.]+)");

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException translate(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains("HAPI-1093") && message.contains("lianyao-patient-resident-id-unique")) {
        Matcher m = EXISTING.matcher(message);
        String existing = m.find() ? m.group(1) : "";
        return new ResourceVersionConflictException("duplicate resident ID: " + existing,
            OperationOutcomes.outcome(IssueType.DUPLICATE,
                "该居民身份证号已登记为患者 " + existing + "：一个居民身份证号只对应一个患者。请以条件创建提交患者"
                    + "（If-None-Exist: identifier=urn:oid:2.16.156.10011.1.3|{身份证号}），或引用已有患者",
                "a Patient with this resident ID already exists (" + existing + "); post patients with a conditional"
                    + " create on the resident ID"));
      }
    }
    return null;
  }
}
