package org.lianyao.security.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.authserver.EmbeddedAuthorizationServerConfig.EmbeddedIssuer;
import org.lianyao.security.fhir.AccessPolicy;
import org.lianyao.security.token.IssuerRoutingAuthenticationManagerResolver;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART App Launch discovery, {@code /.well-known/smart-configuration}, served both at the root and
 * under the FHIR base ({@code /fhir/.well-known/…}, where SMART clients look it up; the FHIR servlet
 * would otherwise answer that path). Advertises the embedded token endpoint, or the external one
 * configured under {@code lianyao.security.smart}.
 */
public class SmartConfigurationFilter extends OncePerRequestFilter {

  public static final List<String> PATHS =
      List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");

  private final EmbeddedIssuer embedded;
  private final SecurityProperties properties;
  private final ObjectMapper json = new ObjectMapper();

  public SmartConfigurationFilter(EmbeddedIssuer embedded, SecurityProperties properties) {
    this.embedded = embedded;
    this.properties = properties;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !PATHS.contains(path);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.setHeader("Allow", "GET, HEAD");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    boolean secrets;
    if (embedded != null) {
      String issuer = embedded.fixedIssuer() != null ? embedded.fixedIssuer()
          : IssuerRoutingAuthenticationManagerResolver.requestIssuer(request);
      body.put("issuer", issuer);
      body.put("jwks_uri", issuer + embedded.settings().getJwkSetEndpoint());
      body.put("token_endpoint", issuer + embedded.settings().getTokenEndpoint());
      body.put("introspection_endpoint", issuer + embedded.settings().getTokenIntrospectionEndpoint());
      body.put("revocation_endpoint", issuer + embedded.settings().getTokenRevocationEndpoint());
      secrets = embedded.secretsAllowed();
    } else {
      if (!properties.trustedIssuers().isEmpty()) {
        body.put("issuer", properties.trustedIssuers().get(0).issuer());
      }
      putIfSet(body, "jwks_uri", properties.smart().jwksUri());
      putIfSet(body, "token_endpoint", properties.smart().tokenEndpoint());
      secrets = false;
    }
    body.put("grant_types_supported", List.of("client_credentials"));
    List<String> methods = new ArrayList<>(List.of("private_key_jwt"));
    if (secrets) {
      methods.addAll(List.of("client_secret_basic", "client_secret_post"));
    }
    body.put("token_endpoint_auth_methods_supported", methods);
    body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    body.put("scopes_supported", new ArrayList<>(AccessPolicy.supportedScopes()));
    List<String> capabilities = new ArrayList<>(List.of("client-confidential-asymmetric", "permission-v2"));
    if (secrets) {
      capabilities.add("client-confidential-symmetric");
    }
    body.put("capabilities", capabilities);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/json;charset=UTF-8");
    if ("GET".equals(request.getMethod())) {
      json.writeValue(response.getOutputStream(), body);
    }
  }

  private static void putIfSet(Map<String, Object> body, String key, String value) {
    if (value != null && !value.isBlank()) {
      body.put(key, value);
    }
  }
}
