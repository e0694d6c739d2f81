package org.lianyao.formulary;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Binary;
import org.lianyao.fhir.GatewayInterceptor;
import org.springframework.stereotype.Component;

/**
 * Streams the CSV / XLSX files of the formulary operations as downloads with their Chinese file
 * name, whatever the browser's Accept header says (HAPI would otherwise wrap a Binary in FHIR XML for
 * a browser). Runs after the authorization and consent checks of the outgoing response and before
 * HAPI's HTML highlighter.
 */
@Component
@Interceptor
public class TabularDownloadInterceptor implements GatewayInterceptor {

  @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 5000)
  public boolean outgoing(RequestDetails request, ResponseDetails response, HttpServletResponse servletResponse)
      throws IOException {
    if (!(response.getResponseResource() instanceof Binary binary) || binary.getUserData(ReportFormat.FILE_NAME) == null
        || servletResponse == null) {
      return true;
    }
    String fileName = (String) binary.getUserData(ReportFormat.FILE_NAME);
    byte[] content = binary.getContent();
    servletResponse.setStatus(200);
    servletResponse.setContentType(binary.getContentType());
    servletResponse.setHeader("Content-Disposition", contentDisposition(fileName));
    servletResponse.setContentLength(content.length);
    servletResponse.getOutputStream().write(content);
    servletResponse.getOutputStream().flush();
    return false;
  }

  /** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name Chinese browsers show. */
  static String contentDisposition(String fileName) {
    // Old clients get the ASCII part of the name (衔接药品配备率-YGT-2025.csv → YGT-2025.csv).
    String ascii = fileName.replaceAll("[^A-Za-z0-9._-]", "").replaceAll("^[._-]+", "");
    if (ascii.isEmpty() || ascii.startsWith(".") || !ascii.contains(".") || ascii.indexOf('.') == 0) {
      ascii = "lianyao-download" + (fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.')) : "");
    } else if (ascii.lastIndexOf('.') == 0) {
      ascii = "lianyao-download" + ascii;
    }
    String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}
