package org.lianyao.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A member HIS's MLLP listener, for outbound tests: records every message it receives (raw bytes)
 * and answers each with an AA.
 */
final class TestHisServer implements AutoCloseable {

  private static final Pattern MSH10 = Pattern.compile("^MSH\\|[^|]*(?:\\|[^|\r]*){7}\\|([^|\r]*)");

  private final ServerSocket server;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TestHisServer(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    acceptor = new Thread(this::accept, "test-his-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  List<byte[]> received() {
    return received;
  }

  /** Received messages decoded with {@code charset}. */
  List<String> texts(Charset charset) {
    return received.stream().map(b -> new String(b, charset)).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread t = new Thread(() -> serve(socket), "test-his-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      while (true) {
        byte[] message = readFrame(in);
        if (message == null) {
          return;
        }
        received.add(message);
        String text = new String(message, Charset.forName("GB18030"));
        Matcher m = MSH10.matcher(text);
        String controlId = m.find() ? m.group(1) : "";
        String ack = "MSH|^~\\&|HIS|TEST|LIANYAO|LIANYAO|20261121120000||ACK^O11^ACK|A" + received.size()
            + "|P|2.5.1\rMSA|AA|" + controlId + "\r";
        out.write(0x0B);
        out.write(ack.getBytes(Charset.forName("GB18030")));
        out.write(0x1C);
        out.write(0x0D);
        out.flush();
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  private static byte[] readFrame(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
      if (b < 0) {
        return null;
      }
    } while (b != 0x0B);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    while ((b = in.read()) >= 0) {
      if (b == 0x1C) {
        in.read(); // CR
        return body.toByteArray();
      }
      body.write(b);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : connections) {
      s.close();
    }
  }
}
