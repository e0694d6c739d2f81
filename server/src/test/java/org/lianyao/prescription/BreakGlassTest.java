package org.lianyao.prescription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lianyao.prescription.consent.BreakGlass;

class BreakGlassTest {

  @Test
  void reasonFromPercentEncodedHeaderOrDeclaredParameter() {
    SystemRequestDetails request = new SystemRequestDetails();
    assertThat(BreakGlass.reason(request, "X-Break-Glass")).isEmpty();
    request.setHeaders("X-Break-Glass", List.of("%E6%98%8F%E8%BF%B7%E6%80%A5%E6%95%91"));
    assertThat(BreakGlass.reason(request, "X-Break-Glass")).contains("昏迷急救");

    SystemRequestDetails blank = new SystemRequestDetails();
    blank.setHeaders("X-Break-Glass", List.of("   "));
    assertThat(BreakGlass.reason(blank, "X-Break-Glass")).isEmpty();

    SystemRequestDetails declared = new SystemRequestDetails();
    BreakGlass.declare(declared, "急诊：患者意识不清\n");
    assertThat(BreakGlass.reason(declared, "X-Break-Glass")).contains("急诊：患者意识不清");
  }
}
