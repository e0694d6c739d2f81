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
 * <p>Arguments: message files, then {@code --warmup=N}, {@code --messages=N} and optionally
 * {@code --drug-map=ConceptMap.json} (repeatable).
 */
public final class ConverterBenchmark {

  private ConverterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmup = 20_000;
    int count = 200_000;
    List<byte[]> messages = new ArrayList<>();
    List<ConceptMap> drugMaps = new ArrayList<>();
    FhirContext fhir = FhirContext.forR4Cached();
    for (String arg : args) {
      if (arg.startsWith("--warmup=")) {
        warmup = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--messages=")) {
        count = Integer.parseInt(arg.substring(11));
      } else if (arg.startsWith("--drug-map=")) {
        drugMaps.add(fhir.newJsonParser().parseResource(ConceptMap.class, Files.readString(Path.of(arg.substring(11)))));
      } else {
        messages.add(Files.readAllBytes(Path.of(arg)));
      }
    }
    Hl7ConverterConfig config = Hl7ConverterConfig.of(new TerminologyResources(fhir),
        DrugCodeMapper.from(new ConceptMapCodeMapper(drugMaps)));
    Hl7Parsing parsing = new Hl7Parsing();
    RdeToMedicationRequestConverter rde = new RdeToMedicationRequestConverter(config);
    RdsToMedicationDispenseConverter rds = new RdsToMedicationDispenseConverter(config);
    long resources = 0;
    for (int i = 0; i < warmup; i++) {
      resources += convert(messages.get(i % messages.size()), parsing, rde, rds);
    }
    resources = 0;
    // Wall time and this thread's CPU time: on a shared machine the CPU time is the fair measure.
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      resources += convert(messages.get(i % messages.size()), parsing, rde, rds);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    System.out.printf("converter=%s messages=%d seconds=%.3f msgs_per_s=%.1f cpu_seconds=%.3f msgs_per_cpu_s=%.1f"
        + " resources=%d%n", "lianyao", count, seconds, count / seconds, cpuSeconds, count / cpuSeconds, resources);
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
