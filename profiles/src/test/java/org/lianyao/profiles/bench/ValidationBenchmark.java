package org.lianyao.profiles.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.lianyao.profiles.LianyaoIdentifierValidatorModule;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.profiles.LianyaoValidationSupportFactory;

/**
 * Benchmark (not a test): cost of Lianyao profile validation per resource, the work the server's
 * profile enforcement adds to each write. Validates the package's example resources of each
 * profiled type many times after a warm-up and writes median and p99 next to the cost of the same
 * write path without validation (parse + encode), in milliseconds. Run by {@code bench/validation.sh}.
 *
 * <p>Baseline in the same run: HAPI's stock {@link FhirInstanceValidator} bridge (a new HL7 engine per
 * resource, no remembered lookups) on the same chain, settings and identifier module, measured
 * interleaved with Lianyao's validator round by round, so that the machine's drift hits both alike.
 */
public final class ValidationBenchmark {

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results-validation.md");
    int warmup = Integer.getInteger("bench.warmup", 1000);
    int rounds = Integer.getInteger("bench.rounds", 3000);
    FhirContext ctx = FhirContext.forR4Cached();
    ValidationSupportChain chain = LianyaoValidationSupportFactory.newValidationSupportChain(ctx);
    FhirValidator validator = LianyaoValidationSupportFactory.newValidator(ctx, chain);
    FhirValidator stock = ctx.newValidator();
    stock.registerValidatorModule(LianyaoValidationSupportFactory.newStockInstanceValidator(chain));
    stock.registerValidatorModule(new LianyaoIdentifierValidatorModule());
    IParser parser = ctx.newJsonParser();
    List<IBaseResource> examples = LianyaoPackage.get().examples(ctx);

    StringBuilder md = new StringBuilder()
        .append("# Profile validation cost per resource\n\n")
        .append("Produced by `bench/validation.sh` (").append(warmup).append(" warm-up and ").append(rounds)
        .append(" measured validations per type and validator, one thread, on the offline Lianyao chain")
        .append(" plus the identifier module). \"off\" is the same write path without validation: parse + encode.")
        .append(" \"stock\" is the baseline: HAPI's FhirInstanceValidator bridge as shipped on the same chain and")
        .append(" settings, measured interleaved with \"on\" (Lianyao's validator: one HL7 engine reused for")
        .append(" many resources, lookups remembered).\n\n")
        .append("Target: validation adds ≤ 5 ms median per MedicationRequest after warm-up.\n\n")
        .append("| type | off median ms | off p99 ms | stock median ms | stock p99 ms | on median ms | on p99 ms")
        .append(" | added median ms | on vs stock |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    String types = System.getProperty("bench.types", "MedicationRequest,Patient,Medication,MedicationDispense,Basic");
    for (String type : types.split(",")) {
      List<String> bodies = examples.stream().filter(r -> r.fhirType().equals(type))
          .map(parser::encodeResourceToString).toList();
      if (bodies.isEmpty()) {
        continue;
      }
      double[] off = measure(warmup, rounds, i -> parser.encodeResourceToString(parser.parseResource(bodies.get(i % bodies.size()))));
      double[][] stockAndOn = measureInterleaved(warmup, rounds, validatingWrite(stock, parser, bodies, type),
          validatingWrite(validator, parser, bodies, type));
      double[] baseline = stockAndOn[0];
      double[] on = stockAndOn[1];
      md.append(String.format("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %+.0f %% |%n", type,
          pct(off, 50), pct(off, 99), pct(baseline, 50), pct(baseline, 99), pct(on, 50), pct(on, 99),
          pct(on, 50) - pct(off, 50), 100 * (pct(on, 50) / pct(baseline, 50) - 1)));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    System.out.print(md);
  }

  private interface Step {
    void run(int i);
  }

  private static Step validatingWrite(FhirValidator validator, IParser parser, List<String> bodies, String type) {
    return i -> {
      IBaseResource r = parser.parseResource(bodies.get(i % bodies.size()));
      if (!validator.validateWithResult(r).isSuccessful()) {
        throw new IllegalStateException("example of " + type + " does not validate");
      }
      parser.encodeResourceToString(r);
    };
  }

  /** Both steps round by round, which one goes first alternating: their times, each sorted. */
  private static double[][] measureInterleaved(int warmup, int rounds, Step a, Step b) {
    for (int i = 0; i < warmup; i++) {
      a.run(i);
      b.run(i);
    }
    double[] msA = new double[rounds];
    double[] msB = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      if (i % 2 == 0) {
        msA[i] = time(a, i);
        msB[i] = time(b, i);
      } else {
        msB[i] = time(b, i);
        msA[i] = time(a, i);
      }
    }
    Arrays.sort(msA);
    Arrays.sort(msB);
    return new double[][] {msA, msB};
  }

  private static double time(Step step, int i) {
    long t0 = System.nanoTime();
    step.run(i);
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double[] measure(int warmup, int rounds, Step step) {
    for (int i = 0; i < warmup; i++) {
      step.run(i);
    }
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ms[i] = time(step, i);
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
