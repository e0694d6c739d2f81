import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark scenario (a) of issue #6: MLLP ingest of RDE^O11 end to end. Sends N messages over C
 * concurrent MLLP connections (each connection waits for its ACK before the next message, as a HIS
 * interface engine does) and prints one line with messages per second and ACK latency
 * percentiles. Every message has its own control id (MSH-10) and prescription/order numbers, so
 * each one creates two new MedicationRequests.
 *
 * <p>Plain JDK, run as a source file: {@code java bench/hl7/MllpIngestClient.java HOST PORT N C
 * TEMPLATE.hl7 [CHARSET]}. The template is rde-o11-v24 of the test messages (GB18030).
 */
public class MllpIngestClient {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    Charset charset = Charset.forName(args.length > 5 ? args[5] : "GB18030");
    String template = Files.readString(Path.of(args[4]), charset);
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();

    List<List<byte[]>> shares = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      String id = "B" + run + String.format("%06d", i);
      String text = template.replace("RDE20261120093015001", id)
          .replace("CF2026112000010001^", "P" + id + "01^")
          .replace("CF2026112000010002^", "P" + id + "02^")
          .replace("CF20261120000100^", "P" + id + "^");
      shares.get(i % connections).add(text.getBytes(charset));
    }
    long[] latencies = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (List<byte[]> share : shares) {
      Thread t = new Thread(() -> {
        try (Socket socket = new Socket(host, port)) {
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(120_000);
          InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream();
          for (byte[] message : share) {
            long t0 = System.nanoTime();
            out.write(frame(message));
            out.flush();
            String ack = new String(readFrame(in), charset);
            latencies[next.getAndIncrement()] = System.nanoTime() - t0;
            if (ack.contains("\rMSA|AA|")) {
              accepted.incrementAndGet();
            } else {
              if (other.getAndIncrement() < 3) {
                System.err.println("non-AA: " + ack.replace('\r', '\n'));
              }
            }
          }
        } catch (IOException e) {
          System.err.println("connection failed: " + e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] done = Arrays.copyOf(latencies, next.get());
    Arrays.sort(done);
    System.out.printf("scenario=ingest messages=%d connections=%d seconds=%.3f msgs_per_s=%.1f aa=%d non_aa=%d"
            + " p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
        n, connections, seconds, accepted.get() / seconds, accepted.get(), other.get(),
        pct(done, 0.50), pct(done, 0.95), pct(done, 0.99), done.length == 0 ? 0 : done[done.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static byte[] frame(byte[] message) {
    byte[] framed = new byte[message.length + 3];
    framed[0] = 0x0B;
    System.arraycopy(message, 0, framed, 1, message.length);
    framed[message.length + 1] = 0x1C;
    framed[message.length + 2] = 0x0D;
    return framed;
  }

  private static byte[] readFrame(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
    } while (b != 0x0B);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while ((b = in.read()) >= 0) {
      if (b == 0x1C) {
        in.read();
        return body.toByteArray();
      }
      body.write(b);
    }
    throw new IOException("connection closed inside a frame");
  }
}
