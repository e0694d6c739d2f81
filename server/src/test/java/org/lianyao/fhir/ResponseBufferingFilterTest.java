package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ResponseBufferingFilterTest {

  @Test
  void writerFlushesStayInTheResponseBufferUntilTheEnd() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    new ResponseBufferingFilter().doFilter(new MockHttpServletRequest("GET", "/fhir/Patient"), response,
        new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
          @Override
          protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
              throws java.io.IOException {
            PrintWriter writer = res.getWriter();
            for (int i = 0; i < 100; i++) {
              writer.write("{\"v\":" + i + "}");
              writer.flush(); // what HAPI's JSON writer does after every value
              assertThat(res.isCommitted()).as("flush %d committed the response", i).isFalse();
            }
          }
        }));
    assertThat(response.getBufferSize()).isEqualTo(ResponseBufferingFilter.BUFFER_BYTES);
    assertThat(response.getContentAsString()).startsWith("{\"v\":0}").endsWith("{\"v\":99}");
  }

  @Test
  void streamFlushesAreIgnoredButExplicitBufferFlushesAreNot() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    ResponseBufferingFilter.FlushIgnoringResponse wrapped = new ResponseBufferingFilter.FlushIgnoringResponse(response);
    ServletOutputStream out = wrapped.getOutputStream();
    out.write("abc".getBytes(StandardCharsets.UTF_8));
    out.flush();
    assertThat(response.isCommitted()).isFalse();
    wrapped.flushBuffer();
    assertThat(response.isCommitted()).isTrue();
    assertThat(response.getContentAsString()).isEqualTo("abc");
  }
}
