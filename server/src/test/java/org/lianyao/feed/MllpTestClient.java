package org.lianyao.feed;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-socket MLLP sender, as a HIS interface engine is: VT + message + FS CR, then wait for the
 * ACK frame on the same connection.
 */
final class MllpTestClient implements Closeable {

  static final int VT = 0x0B;
  static final int FS = 0x1C;
  static final int CR = 0x0D;
  private static final Pattern MSA = Pattern.compile("(?:^|\r)MSA\\|([A-Z]{2})\\|([^|\r]*)");

  /** An ACK as received. */
  record Ack(byte[] bytes, Charset charset) {
    String text() {
      return new String(bytes, charset);
    }

    String code() {
      Matcher m = MSA.matcher(text());
      return m.find() ? m.group(1) : null;
    }

    String controlId() {
      Matcher m = MSA.matcher(text());
      return m.find() ? m.group(2) : null;
    }

    /** ERR-3.1 (HL7 0357 code), or null. */
    String errorCode() {
      Matcher m = Pattern.compile("(?:^|\r)ERR\\|[^|\r]*\\|[^|\r]*\\|(\\d+)").matcher(text());
      return m.find() ? m.group(1) : null;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  MllpTestClient(String host, int port, int timeoutMillis) {
    try {
      socket = new Socket(host, port);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one framed message and waits for the answer; charset is only for reading the ACK. */
  Ack send(byte[] message, Charset charset) throws IOException {
    sendOnly(message);
    return new Ack(readFrame(), charset);
  }

  void sendOnly(byte[] message) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(message.length + 3);
    frame.write(VT);
    frame.write(message);
    frame.write(FS);
    frame.write(CR);
    out.write(frame.toByteArray());
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int b;
    do {
      b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before an ACK arrived");
      }
    } while (b != VT);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside an ACK frame");
      }
      if (b == FS) {
        int cr = in.read();
        if (cr != CR && cr >= 0) {
          body.write(FS);
          body.write(cr);
          continue;
        }
        return body.toByteArray();
      }
      body.write(b);
    }
  }

  static boolean isTimeout(IOException e) {
    return e instanceof SocketTimeoutException;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
