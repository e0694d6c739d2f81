package org.lianyao.feed.hl7;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.ConceptMap;
import org.lianyao.terminology.TerminologyResources;

/**
 * Benchmark scenario (b) of issue #6, Lianyao side (run by {@code bench/hl7.sh}, not a test):
 * raw HL7 v2 bytes → parsed → converted → FHIR transaction Bundle objects, on one thread, for the
 * same message files the LinuxForHealth baseline converts. Prints one result line:
 * {@code converter=lianyao messages=N seconds=S msgs_per_s=R resources=K}.
 *
 * <p>Arguments: message files, then {@code --warmup=N}, {@code --messages=N}, {@code --threads=N} (default 1) and optionally
 * {@code --drug-map=ConceptMap.json} (repeatable).
 */
public final class ConverterBenchmark {

  private ConverterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmup = 20_000;
    int count = 200_000;
    int threadCount = 1;
    List<byte[]> messages = new ArrayList<>();
    List<ConceptMap> drugMaps = new ArrayList<>();
    FhirContext fhir = FhirContext.forR4Cached();
    for (String arg : args) {
      if (arg.startsWith("--warmup=")) {
        warmup = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--messages=")) {
        count = Integer.parseInt(arg.substring(11));
      } else if (arg.startsWith("--threads=")) {
        threadCount = Integer.parseInt(arg.substring(10));
      } else if (arg.startsWith("--drug-map=")) {
        drugMaps.add(fhir.newJsonParser().parseResource(ConceptMap.class, Files.readString(Path.of(arg.substring(11)))));
      } else {
        messages.add(Files.readAllBytes(Path.of(arg)));
      }
    }
    // One parser and converter set for all threads, as in the gateway (they are thread-safe).
    Hl7ConverterConfig config = Hl7ConverterConfig.of(new TerminologyResources(fhir),
        DrugCodeMapper.from(new ConceptMapCodeMapper(drugMaps)));
    Hl7Parsing parsing = new Hl7Parsing();
    RdeToMedicationRequestConverter rde = new RdeToMedicationRequestConverter(config);
    RdsToMedicationDispenseConverter rds = new RdsToMedicationDispenseConverter(config);
    int threads = threadCount;
    int perThread = count / threads;
    int warmupPerThread = warmup / threads;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.concurrent.CyclicBarrier warmedUp = new java.util.concurrent.CyclicBarrier(threads + 1);
    java.util.concurrent.CyclicBarrier finished = new java.util.concurrent.CyclicBarrier(threads + 1);
    java.util.concurrent.atomic.AtomicLong resources = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread worker = new Thread(() -> {
        try {
          for (int i = 0; i < warmupPerThread; i++) {
            convert(messages.get((i + offset) % messages.size()), parsing, rde, rds);
          }
          warmedUp.await();
          // Wall time and each thread's CPU time: on a shared machine the CPU time is the fair measure.
          long cpuStart = mx.getCurrentThreadCpuTime();
          long converted = 0;
          for (int i = 0; i < perThread; i++) {
            converted += convert(messages.get((i + offset) % messages.size()), parsing, rde, rds);
          }
          cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpuStart);
          resources.addAndGet(converted);
          finished.await();
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          warmedUp.reset();
          finished.reset();
        }
      }, "converter-" + t);
      worker.start();
      workers.add(worker);
    }
    warmedUp.await();
    long start = System.nanoTime();
    finished.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Thread worker : workers) {
      worker.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("conversion failed", failure.get());
    }
    long total = (long) perThread * threads;
    double cpuSeconds = cpuNanos.get() / 1e9;
    System.out.printf("converter=%s threads=%d messages=%d seconds=%.3f msgs_per_s=%.1f cpu_seconds=%.3f"
        + " msgs_per_cpu_s=%.1f resources=%d%n", "lianyao", threads, total, seconds, total / seconds, cpuSeconds,
        total / cpuSeconds, resources.get());
  }

  private static int convert(byte[] raw, Hl7Parsing parsing, RdeToMedicationRequestConverter rde,
      RdsToMedicationDispenseConverter rds) throws Hl7ConversionException {
    ParsedMessage parsed = parsing.parse(raw);
    if ("RDS".equals(parsed.messageCode())) {
      return rds.convert(parsed).toTransactionBundle().getEntry().size();
    }
    return rde.convert(parsed).toTransactionBundle().getEntry().size();
  }
}
