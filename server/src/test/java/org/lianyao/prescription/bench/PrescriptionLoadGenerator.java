package org.lianyao.prescription.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Benchmark data generator (issue #7 item 10): loads synthetic patients and prescriptions into a
 * running gateway through its FHIR transaction API, as the county hospital's HIS would — every
 * entry goes through authorization, the prescription rules and profile validation — and reports the
 * ingest rate. Run by {@code bench/prescriptions.sh}; usable alone:
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) \
 *   org.lianyao.prescription.bench.PrescriptionLoadGenerator http://127.0.0.1:18090 10000 10 10 4 bench/work/patients.txt
 * </pre>
 *
 * Arguments: base URL, patients, prescriptions per patient, patients per transaction bundle,
 * concurrent bundles, file to write the patients' resident IDs to (the shared-view load reads it),
 * and optionally the first patient's number (default 0: another range adds patients to a loaded
 * database, e.g. to measure ingest after a warm-up).
 * Patient {@code i} gets a valid resident ID (GB 11643) of a man born {@code i mod 20000} days after
 * 1940-01-01 with sequence 501 + 2·(i div 20000) (no clash with the demo's); prescriptions are
 * written over the last 60 days, 28-day supply, drugs from the hospital's demo formulary, about a
 * third still active. Bundles use conditional creates, so a rerun adds nothing.
 */
public final class PrescriptionLoadGenerator {

  private static final String HOSPITAL = "H50011200001";
  private static final FhirContext CTX = FhirContext.forR4Cached();

  private final String base;
  // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade of POSTs with a body can hang against Tomcat.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final AtomicReference<String> token = new AtomicReference<>();
  private volatile long tokenAt;

  private PrescriptionLoadGenerator(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: PrescriptionLoadGenerator <base-url> <patients> <rx-per-patient> <patients-per-bundle> <concurrency> <resident-id-file> [first-patient]");
      System.exit(2);
    }
    new PrescriptionLoadGenerator(args[0]).run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]),
        args.length > 6 ? Integer.parseInt(args[6]) : 0);
  }

  private void run(int patients, int perPatient, int perBundle, int concurrency, Path idFile, int first)
      throws Exception {
    String org = firstId("Organization?identifier=" + enc(IdentifierSystems.NHSA_INSTITUTION_CODE + "|" + HOSPITAL));
    List<String> doctors = new ArrayList<>();
    for (String code : List.of("D0101", "D0102", "D0103")) {
      doctors.add(firstId("Practitioner?identifier=" + enc(IdentifierSystems.practitionerCodeSystem(HOSPITAL) + "|" + code)));
    }
    List<Medication> products = products();
    if (products.isEmpty()) {
      throw new IllegalStateException("no products in the hospital's demo formulary (is lianyao.demo.enabled on?)");
    }
    List<String> ids = new ArrayList<>(patients);
    for (int i = first; i < first + patients; i++) {
      ids.add(residentId(i));
    }
    Files.createDirectories(idFile.toAbsolutePath().getParent());
    Files.write(idFile, ids);

    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicLong done = new AtomicLong();
    AtomicLong created = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int from = first; from < first + patients; from += perBundle) {
      int f = from;
      int to = Math.min(first + patients, from + perBundle);
      futures.add(pool.submit(() -> {
        Bundle b = bundle(f, to, perPatient, org, doctors, products);
        int lines = (to - f) * perPatient;
        for (int attempt = 1; ; attempt++) {
          HttpResponse<String> r = send("POST", "", CTX.newJsonParser().encodeResourceToString(b));
          if (r.statusCode() == 200) {
            // Entries answered 201 were created; 200 = matched by the conditional create (a rerun).
            Bundle response = CTX.newJsonParser().parseResource(Bundle.class, r.body());
            created.addAndGet(response.getEntry().stream().filter(e -> e.getResponse().getStatus().startsWith("201")
                && e.getResponse().getLocation() != null && e.getResponse().getLocation().startsWith("MedicationRequest/")).count());
            long n = done.addAndGet(lines);
            if ((n / lines) % 50 == 0) {
              double s = (System.nanoTime() - start) / 1e9;
              System.err.printf(Locale.ROOT, "%d prescriptions in %.0f s (%.1f/s)%n", n, s, n / s);
            }
            return null;
          }
          if (attempt >= 3) {
            failed.addAndGet(lines);
            System.err.println("bundle " + f + " failed: " + r.statusCode() + " " + r.body().substring(0, Math.min(400, r.body().length())));
            return null;
          }
        }
      }));
    }
    for (Future<?> fu : futures) {
      fu.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT,
        "{\"kind\":\"ingest\",\"patients\":%d,\"prescriptions\":%d,\"created\":%d,\"failed\":%d,\"seconds\":%.1f,"
            + "\"prescriptions_per_s\":%.1f,\"created_per_s\":%.1f,\"entries_per_s\":%.1f,\"patients_per_bundle\":%d,\"concurrency\":%d}%n",
        patients, done.get(), created.get(), failed.get(), seconds, done.get() / seconds, created.get() / seconds,
        (done.get() + done.get() / (double) perPatient) / seconds, perBundle, concurrency);
  }

  private Bundle bundle(int from, int to, int perPatient, String org, List<String> doctors, List<Medication> products) {
    Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (int i = from; i < to; i++) {
      String rid = residentId(i);
      LocalDate birth = birth(i);
      Patient p = new Patient();
      p.addIdentifier().setSystem(IdentifierSystems.RESIDENT_ID).setValue(rid);
      p.addName().setText("压测" + i).setFamily("压").addGiven("测" + i);
      p.setGender(Enumerations.AdministrativeGender.MALE);
      p.setBirthDate(java.sql.Date.valueOf(birth));
      String patientUrl = "urn:uuid:" + new java.util.UUID(0x5eedL, i).toString();
      b.addEntry().setFullUrl(patientUrl).setResource(p).getRequest().setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Patient").setIfNoneExist("identifier=" + enc(IdentifierSystems.RESIDENT_ID + "|" + rid));
      for (int k = 0; k < perPatient; k++) {
        Medication drug = products.get(Math.floorMod(i * 31 + k * 7, products.size()));
        String number = "BX" + i + "-" + (k / 3);
        MedicationRequest mr = new MedicationRequest();
        mr.addExtension(Extensions.PRESCRIBING_INSTITUTION, new Reference("Organization/" + org));
        mr.addIdentifier().setSystem(IdentifierSystems.prescriptionNumberSystem(HOSPITAL)).setValue(number);
        int daysAgo = Math.floorMod(i * 13 + k * 17, 60);
        // About a third still active (written in the last 20 days), older ones completed.
        mr.setStatus(daysAgo < 20 ? MedicationRequest.MedicationRequestStatus.ACTIVE
            : MedicationRequest.MedicationRequestStatus.COMPLETED);
        mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        mr.addCategory(new CodeableConcept(new Coding(CodeSystems.PRESCRIPTION_CATEGORY, "ordinary", "普通")));
        String ref = "Medication/" + drug.getIdElement().getIdPart();
        mr.setMedication(new Reference(ref).setDisplay(drug.getCode().getText()));
        mr.setSubject(new Reference(patientUrl));
        mr.setAuthoredOn(Date.from(Instant.now().minus(daysAgo, ChronoUnit.DAYS)));
        mr.setRequester(new Reference("Practitioner/" + doctors.get(Math.floorMod(i + k, doctors.size()))));
        mr.addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cn", "I10.x00", "高血压")).setText("高血压"));
        var dosage = mr.addDosageInstruction().setText("口服，每日一次，每次1片");
        dosage.getTiming().setCode(new CodeableConcept(new Coding(CodeSystems.FREQUENCY, "9", null)));
        dosage.setRoute(new CodeableConcept(new Coding(CodeSystems.ROUTE, "1", null)));
        mr.getDispenseRequest().setQuantity(new Quantity().setValue(1).setUnit("盒"));
        mr.getDispenseRequest().setExpectedSupplyDuration((org.hl7.fhir.r4.model.Duration) new org.hl7.fhir.r4.model.Duration()
            .setValue(28).setUnit("天").setSystem("http://unitsofmeasure.org").setCode("d"));
        b.addEntry().setResource(mr).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest")
            .setIfNoneExist("identifier=" + enc(IdentifierSystems.prescriptionNumberSystem(HOSPITAL) + "|" + number)
                + "&medication=" + enc(ref));
      }
    }
    return b;
  }

  static LocalDate birth(int i) {
    return LocalDate.of(1940, 1, 1).plusDays(i % 20000);
  }

  /** A valid resident ID (GB 11643, MOD 11-2) for patient i; sequences ≥ 501 keep clear of the demo's. */
  static String residentId(int i) {
    int seq = 501 + 2 * (i / 20000);
    String body = "500112" + birth(i).toString().replace("-", "") + String.format("%03d", seq);
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int k = 0; k < 17; k++) {
      sum += (body.charAt(k) - '0') * w[k];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  private List<Medication> products() throws IOException, InterruptedException {
    String plan = firstId("InsurancePlan?identifier=" + enc(IdentifierSystems.FORMULARY + "|" + HOSPITAL + "-2025"));
    Bundle b = get("Basic?formulary=InsurancePlan/" + plan + "&_include=Basic:subject&_count=500");
    List<Medication> meds = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.getResource() instanceof Medication m && m.getExtensionsByUrl(Extensions.DRUG_CONTROL_CLASS).isEmpty()) {
        meds.add(m);
      }
    }
    return meds;
  }

  private String firstId(String query) throws IOException, InterruptedException {
    Bundle b = get(query);
    if (b.getEntry().isEmpty()) {
      throw new IllegalStateException("nothing found: " + query);
    }
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  private Bundle get(String query) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", query, null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(query + ": " + r.statusCode() + " " + r.body());
    }
    IParser p = CTX.newJsonParser();
    return p.parseResource(Bundle.class, r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/fhir/" + path))
          .timeout(Duration.ofMinutes(5))
          .header("Accept", "application/fhir+json")
          .header("Authorization", "Bearer " + token());
      if (body != null) {
        b.header("Content-Type", "application/fhir+json; charset=UTF-8")
            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client-credentials token of the hospital's demo client, renewed every 4 minutes. */
  private String token() throws IOException, InterruptedException {
    if (token.get() == null || System.currentTimeMillis() - tokenAt > 240_000) {
      synchronized (this) {
        if (token.get() == null || System.currentTimeMillis() - tokenAt > 240_000) {
          String basic = Base64.getEncoder().encodeToString((HOSPITAL + ":demo-secret").getBytes(StandardCharsets.UTF_8));
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
              .header("Authorization", "Basic " + basic)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
              HttpResponse.BodyHandlers.ofString());
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
          if (!m.find()) {
            throw new IllegalStateException("no token: " + r.statusCode() + " " + r.body());
          }
          token.set(m.group(1));
          tokenAt = System.currentTimeMillis();
        }
      }
    }
    return token.get();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
