package org.lianyao.formulary;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the formulary integration tests: the whole gateway on PostgreSQL with the demo, the
 * catalog file route watching folders under a temporary directory, and the formulary operations
 * granted to the roles that use them. All formulary ITs share this one context.
 */
public abstract class FormularyIntegrationTest extends PostgresIntegrationTest {

  protected static final Path CATALOG_FOLDERS = temporaryFolder();
  protected static final String CONSORTIUM_USCC = "12500112MB00000014";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @DynamicPropertySource
  static void formulary(DynamicPropertyRegistry registry) {
    registry.add("lianyao.feeds.catalog.enabled", () -> "true");
    registry.add("lianyao.feeds.catalog.inbox", () -> CATALOG_FOLDERS.resolve("inbox").toString());
    registry.add("lianyao.feeds.catalog.archive", () -> CATALOG_FOLDERS.resolve("archive").toString());
    registry.add("lianyao.feeds.catalog.error", () -> CATALOG_FOLDERS.resolve("error").toString());
    registry.add("lianyao.feeds.catalog.poll-delay", () -> "200ms");
    registry.add("lianyao.feeds.catalog.read-lock-min-age", () -> "300ms");
  }

  private static Path temporaryFolder() {
    try {
      Path dir = Files.createTempDirectory("lianyao-catalog-it");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pharmacy committee (药事委员会): writes consortium formularies, imports catalogs. */
  protected IGenericClient committee() {
    return fhirClient("committee");
  }

  /** A member institution's HIS, e.g. {@code H50011200004}. */
  protected IGenericClient member(String nhsaCode) {
    return fhirClient(nhsaCode);
  }

  protected InsurancePlan version(String identifier) {
    Bundle b = committee().search().forResource(InsurancePlan.class)
        .where(InsurancePlan.IDENTIFIER.exactly().systemAndCode(IdentifierSystems.FORMULARY, identifier))
        .returnBundle(Bundle.class).execute();
    if (b.getEntry().size() != 1) {
      throw new AssertionError("expected one formulary version " + identifier + ", found " + b.getEntry().size());
    }
    return (InsurancePlan) b.getEntryFirstRep().getResource();
  }

  protected String organizationId(String system, String value) {
    Bundle b = committee().search().forResource(Organization.class)
        .where(Organization.IDENTIFIER.exactly().systemAndCode(system, value))
        .returnBundle(Bundle.class).execute();
    return b.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-2030";
  }

  /** Creates a consortium version of the demo consortium (as the committee); returns its id. */
  protected String createConsortiumVersion(String identifier, String start, String end) {
    InsurancePlan plan = plan(identifier, FormularyKind.CONSORTIUM, start, end,
        "Organization/" + organizationId(IdentifierSystems.USCC, CONSORTIUM_USCC));
    return committee().create().resource(plan).execute().getId().getIdPart();
  }

  /** Creates a member formulary of an institution inside a consortium version; returns its id. */
  protected String createMemberFormulary(String identifier, String nhsaCode, String parentId) {
    InsurancePlan plan = plan(identifier, FormularyKind.MEMBER, "2030-01-01", "2030-12-31",
        "Organization/" + organizationId(IdentifierSystems.NHSA_INSTITUTION_CODE, nhsaCode));
    plan.addExtension(new Extension(Extensions.PARENT_FORMULARY, new Reference("InsurancePlan/" + parentId)));
    return committee().create().resource(plan).execute().getId().getIdPart();
  }

  protected static InsurancePlan plan(String identifier, FormularyKind kind, String start, String end, String owner) {
    InsurancePlan plan = new InsurancePlan();
    plan.addIdentifier().setSystem(IdentifierSystems.FORMULARY).setValue(identifier);
    plan.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
    plan.addType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode(CodeSystems.DRUGPOL);
    plan.addType().addCoding(kind.toCoding());
    plan.setName("测试目录 " + identifier);
    plan.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(start));
    plan.getPeriod().setEndElement(new org.hl7.fhir.r4.model.DateTimeType(end));
    plan.setOwnedBy(new Reference(owner));
    return plan;
  }

  // ----------------------------------------------------------------------------- raw HTTP

  /** A raw HTTP exchange as a client of the demo {@code clientId}. */
  protected HttpResponse<byte[]> http(String method, String path, String clientId, String contentType, byte[] body,
      String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + path))
        .timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token(clientId));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected HttpResponse<byte[]> get(String path, String clientId, String... headers) {
    return http("GET", path, clientId, null, null, headers);
  }

  protected static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A multipart/form-data body: parts name → text, plus one file part named {@code file}. */
  protected static byte[] multipart(String boundary, Map<String, String> fields, String fileName, byte[] file) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
            + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(file);
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------------ source files

  /** A classpath file's bytes. */
  protected static byte[] resource(String path) {
    try (InputStream in = FormularyIntegrationTest.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected static final String CATALOG_2024 = "org/lianyao/feed/catalog/demo/catalog-2024.csv";
  protected static final String CATALOG_2025 = "org/lianyao/feed/catalog/demo/catalog-2025.csv";

  protected static String memberFile(String nhsaCode) {
    return "demo/formulary/" + nhsaCode + "-2025.csv";
  }

  /** The rows of a CSV on the classpath, header → cell, read independently of the importer. */
  protected static List<Map<String, String>> csvRows(String path) {
    String text = new String(resource(path), StandardCharsets.UTF_8).replace("\uFEFF", "");
    List<Map<String, String>> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(text, CSVFormat.RFC4180.builder().setHeader().build())) {
      for (CSVRecord record : parser) {
        Map<String, String> row = new LinkedHashMap<>();
        parser.getHeaderNames().forEach(h -> row.put(h, record.get(h).trim()));
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** CSV text from header and rows (for test files built on the fly). */
  protected static byte[] csv(List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder("\uFEFF").append(String.join(",", header)).append('\n');
    for (List<String> row : rows) {
      b.append(String.join(",", row)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
