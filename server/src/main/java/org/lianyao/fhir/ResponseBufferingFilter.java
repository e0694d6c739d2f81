package org.lianyao.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the servlet container's response buffer decide when FHIR response bytes go to the network.
 *
 * <p>Why: HAPI's JSON writer hands every primitive value to Jackson's {@code ObjectMapper}, which
 * flushes after each value, down to the servlet writer: a 14 KB shared-prescription view left Tomcat
 * as about 320 HTTP chunks, one socket write each (profiled: a fifth of the request's CPU, mostly in
 * the kernel). Flushes from the writer or output stream are therefore ignored while the resource is
 * written; the container still writes whenever its buffer ({@value #BUFFER_BYTES} bytes) fills, so
 * large responses stream as before, and sends the rest at the end of the request — a response
 * smaller than the buffer goes out whole, with a {@code Content-Length} instead of chunks. An explicit
 * {@code flushBuffer()} still flushes.
 */
public class ResponseBufferingFilter extends OncePerRequestFilter {

  static final int BUFFER_BYTES = 32 * 1024;

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setBufferSize(BUFFER_BYTES);
    chain.doFilter(request, new FlushIgnoringResponse(response));
  }

  static final class FlushIgnoringResponse extends HttpServletResponseWrapper {

    private PrintWriter writer;
    private ServletOutputStream stream;

    FlushIgnoringResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (writer == null) {
        writer = new PrintWriter(new FilterWriter(super.getWriter()) {
          @Override
          public void flush() {
            // the container's buffer decides
          }
        }, false);
      }
      return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        ServletOutputStream real = super.getOutputStream();
        stream = new ServletOutputStream() {
          @Override
          public void write(int b) throws IOException {
            real.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            real.write(b, off, len);
          }

          @Override
          public void flush() {
            // the container's buffer decides
          }

          @Override
          public void close() throws IOException {
            real.close();
          }

          @Override
          public boolean isReady() {
            return real.isReady();
          }

          @Override
          public void setWriteListener(WriteListener listener) {
            real.setWriteListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
