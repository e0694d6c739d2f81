package org.lianyao.security.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.lianyao.security.CallerContext;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.security.fhir.Denial;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 decided by Spring Security (e.g. {@code @PreAuthorize} on a gateway API): same body and audit
 * as the FHIR refusals. FHIR requests themselves are refused by HAPI's authorization interceptor.
 */
public class FhirAccessDeniedHandler implements AccessDeniedHandler {

  private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
  private final FhirContext fhirContext;
  private final SecurityAuditService audit;

  public FhirAccessDeniedHandler(FhirContext fhirContext, SecurityAuditService audit) {
    this.fhirContext = fhirContext;
    this.audit = audit;
    bearer.setRealmName("lianyao");
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    bearer.handle(request, response, e);
    Denial denial = new Denial("无权访问 " + request.getRequestURI(),
        "access to " + request.getRequestURI() + " denied: " + e.getMessage(), null);
    SecurityAuditService.Agent agent = CallerContext.current()
        .map(c -> SecurityAuditService.Agent.of(c, request.getRemoteAddr()))
        .orElse(SecurityAuditService.Agent.anonymous(request.getRemoteAddr()));
    audit.refused(new SecurityAuditService.Refusal(agent, request.getMethod(), request.getRequestURI(), null,
        false, denial.chinese(), denial.english(), null, null));
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.getWriter().write(OperationOutcomes.json(fhirContext, OperationOutcomes.forbidden(fhirContext, denial)));
  }
}
