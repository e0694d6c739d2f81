package org.lianyao.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.security.web.OperationOutcomes;
import org.springframework.stereotype.Component;

/**
 * Refuses HAPI's {@code $meta}, {@code $meta-add} and {@code $meta-delete}: they read and write
 * HAPI's tag tables, which this gateway does not use — tags, security labels and profiles are part of
 * the resource ({@link InlineTagStorage}), so they are read with the resource and changed by updating
 * it.
 */
@Component
public class MetaOperationsInterceptor implements GatewayInterceptor {

  private static final Set<String> META = Set.of("$meta", "$meta-add", "$meta-delete");

  /** Before authorization (order 200): unsupported for everyone, whatever the caller's rights. */
  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -20)
  public void refuseMetaOperations(RequestDetails request) {
    String operation = request.getOperation();
    if (operation != null && META.contains(operation)) {
      NotImplementedOperationException e = new NotImplementedOperationException(
          operation + " is not supported: tags are stored in the resource; read it or update it");
      e.setOperationOutcome(OperationOutcomes.outcome(IssueType.NOTSUPPORTED,
          "不支持 " + operation + "：标签、安全标签和规范声明随资源内容保存，请读取或更新资源本身",
          operation + " is not supported: tags, security labels and profiles are stored in the resource;"
              + " read it, or update it to change them"));
      throw e;
    }
  }
}
