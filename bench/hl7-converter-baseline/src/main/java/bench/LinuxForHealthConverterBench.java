package bench;

import io.github.linuxforhealth.hl7.ConverterOptions;
import io.github.linuxforhealth.fhir.FHIRContext;
import io.github.linuxforhealth.hl7.HL7ToFHIRConverter;
import io.github.linuxforhealth.hl7.message.HL7MessageEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Converts the benchmark messages with the LinuxForHealth hl7v2-fhir-converter (HL7 v2 text → FHIR
 * R4 Bundle objects, no JSON encoding) on one thread and prints one result line:
 * {@code converter=linuxforhealth messages=N seconds=S msgs_per_s=R resources=K}.
 *
 * <p>Arguments: message files (UTF-8, segments ending in CR), then {@code --warmup=N} and
 * {@code --messages=N}.
 */
public final class LinuxForHealthConverterBench {

  public static void main(String[] args) throws Exception {
    int warmup = 2_000;
    int count = 20_000;
    List<String> messages = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--warmup=")) {
        warmup = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--messages=")) {
        count = Integer.parseInt(arg.substring(11));
      } else {
        messages.add(Files.readString(Path.of(arg), StandardCharsets.UTF_8));
      }
    }
    HL7ToFHIRConverter converter = new HL7ToFHIRConverter();
    ConverterOptions options = new ConverterOptions.Builder()
        .withBundleType(Bundle.BundleType.TRANSACTION).build();
    // One engine for all messages (its own convert(String) builds one per call): the faster way to use it.
    HL7MessageEngine engine = new HL7MessageEngine(new FHIRContext(false, false), Bundle.BundleType.TRANSACTION);
    long resources = 0;
    for (int i = 0; i < warmup; i++) {
      resources += converter.convertToBundle(messages.get(i % messages.size()), options, engine).getEntry().size();
    }
    resources = 0;
    // Wall time and this thread's CPU time: on a shared machine the CPU time is the fair measure.
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      resources += converter.convertToBundle(messages.get(i % messages.size()), options, engine).getEntry().size();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    System.out.printf("converter=%s messages=%d seconds=%.3f msgs_per_s=%.1f cpu_seconds=%.3f msgs_per_cpu_s=%.1f"
        + " resources=%d%n", "linuxforhealth", count, seconds, count / seconds, cpuSeconds, count / cpuSeconds, resources);
  }
}
