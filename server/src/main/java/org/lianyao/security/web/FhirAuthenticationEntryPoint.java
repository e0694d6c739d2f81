package org.lianyao.security.web;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.audit.SecurityAuditService;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a missing or unusable bearer token: {@code WWW-Authenticate: Bearer …} as RFC 6750 asks,
 * a Chinese OperationOutcome with an English diagnostic, and an audit event. For a bad token the
 * agent is what the token claimed (marked unverified), which helps trace a misconfigured client.
 */
public class FhirAuthenticationEntryPoint implements AuthenticationEntryPoint {

  private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
  private final FhirContext fhirContext;
  private final SecurityAuditService audit;
  private final SecurityProperties.Claims claims;

  public FhirAuthenticationEntryPoint(FhirContext fhirContext, SecurityAuditService audit, SecurityProperties.Claims claims) {
    this.fhirContext = fhirContext;
    this.audit = audit;
    this.claims = claims;
    bearer.setRealmName("lianyao");
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException authException)
      throws IOException {
    bearer.commence(request, response, authException);
    boolean badToken = authException instanceof OAuth2AuthenticationException;
    String description = badToken ? ((OAuth2AuthenticationException) authException).getError().getDescription() : null;
    String chinese = badToken ? "访问令牌无效或已过期，请重新获取令牌" : "需要访问令牌：请以 Authorization: Bearer 携带访问令牌";
    String english = badToken ? "Invalid bearer token: " + (description == null ? "rejected" : description)
        : "A bearer access token is required";
    SecurityAuditService.Agent agent = badToken
        ? unverifiedAgent(request) : SecurityAuditService.Agent.anonymous(request.getRemoteAddr());
    audit.refused(new SecurityAuditService.Refusal(agent, request.getMethod(), request.getRequestURI(), null,
        badToken, chinese, english, badToken ? "valid-token" : "token", null));
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.getWriter().write(OperationOutcomes.json(fhirContext, OperationOutcomes.unauthorized(chinese, english)));
  }

  /** The client and institution a rejected token claims: for incident analysis, never trusted. */
  private SecurityAuditService.Agent unverifiedAgent(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    String client = null;
    String institution = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      try {
        JWTClaimsSet set = JWTParser.parse(header.substring(7).trim()).getJWTClaimsSet();
        for (String name : new String[] {claims.clientId(), "azp", "sub"}) {
          Object v = set.getClaim(name);
          if (v instanceof String s && !s.isBlank()) {
            client = s;
            break;
          }
        }
        Object inst = set.getClaim(claims.institution());
        institution = inst instanceof String s ? s : null;
      } catch (java.text.ParseException | RuntimeException e) {
        // not even a JWT: anonymous
      }
    }
    return new SecurityAuditService.Agent(client, institution, null, false, request.getRemoteAddr());
  }
}
