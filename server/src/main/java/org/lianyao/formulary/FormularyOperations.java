package org.lianyao.formulary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.lianyao.feed.catalog.CatalogImportReport;
import org.lianyao.feed.catalog.CatalogTemplate;
import org.lianyao.feed.catalog.CatalogVocabulary;
import org.lianyao.feed.catalog.CatalogWriteException;
import org.lianyao.fhir.GatewayProvider;
import org.lianyao.formulary.report.FormularyDiff;
import org.lianyao.formulary.report.FormularyStatistics;
import org.lianyao.formulary.report.LinkageCoverage;
import org.lianyao.formulary.report.TwoSpecCheck;
import org.springframework.stereotype.Component;

/**
 * The formulary operations (医联体用药目录). Thin: each resolves its parameters, calls a service and
 * renders the result — as FHIR resources, or as CSV / XLSX with Chinese headers when asked
 * ({@link ReportFormat}).
 *
 * <ul>
 *   <li>{@code POST InsurancePlan/$import-catalog} and {@code InsurancePlan/[id]/$import-catalog}</li>
 *   <li>{@code GET InsurancePlan/$catalog-template}</li>
 *   <li>{@code POST InsurancePlan/[id]/$copy-version}</li>
 *   <li>{@code GET InsurancePlan/$diff?from=&to=}</li>
 *   <li>{@code GET InsurancePlan/[id]/$coverage}, {@code $statistics}, {@code $two-spec-check}</li>
 *   <li>{@code GET Medication/[id]/$where-stocked}, {@code InsurancePlan/$where-stocked?generic-name=}</li>
 * </ul>
 */
@Component
public class FormularyOperations implements GatewayProvider {

  private final Formularies formularies;
  private final CatalogImportService imports;
  private final FormularyVersionService versions;
  private final FormularyReportService reports;
  private final FormularyFhir fhir;
  private final FormularyProperties properties;
  private final FormularyTerminology terminology;
  private final FhirContext fhirContext;

  public FormularyOperations(Formularies formularies, CatalogImportService imports, FormularyVersionService versions,
      FormularyReportService reports, FormularyFhir fhir, FormularyProperties properties,
      FormularyTerminology terminology, FhirContext fhirContext) {
    this.formularies = formularies;
    this.imports = imports;
    this.versions = versions;
    this.reports = reports;
    this.fhir = fhir;
    this.properties = properties;
    this.terminology = terminology;
    this.fhirContext = fhirContext;
  }

  // ------------------------------------------------------------------------------ $import-catalog

  /**
   * Imports a catalog file (XLSX or CSV, Chinese headers) into a formulary version, all-or-nothing.
   * The file comes as a FHIR Parameters body ({@code file}: a Binary resource or an Attachment;
   * {@code fileName}; {@code formulary}), as a multipart upload (parts {@code file} and
   * {@code formulary}), or as the raw body with {@code ?formulary=&fileName=}. The version is the
   * instance, or {@code formulary} = InsurancePlan id or formulary identifier ({@code YGT-2025}).
   * Problems: HTTP 422 with one OperationOutcome issue per problem (row, column, Chinese message).
   */
  @Operation(name = "$import-catalog", type = InsurancePlan.class, manualRequest = true, idempotent = false)
  public Parameters importCatalog(
      @IdParam(optional = true) IdType id,
      @OperationParam(name = "formulary", max = 1) StringType formularyParam,
      @OperationParam(name = "fileName", max = 1) StringType fileNameParam,
      ServletRequestDetails request) throws IOException {
    Upload upload = readUpload(request, text(formularyParam), text(fileNameParam));
    String target = id != null && id.hasIdPart() ? id.getIdPart() : upload.formulary();
    if (target == null || target.isBlank()) {
      throw invalid("请用参数 formulary 指定导入的目录版本（InsurancePlan 的 id 或目录版本编号，如 YGT-2025）",
          "give the target formulary version: InsurancePlan id or formulary identifier (parameter formulary)");
    }
    FormularyVersion formulary = formularies.require(target);
    CatalogImportService.Imported imported;
    try (InputStream in = new ByteArrayInputStream(upload.content())) {
      imported = imports.importFile(in, upload.fileName(), formulary);
    } catch (CatalogWriteException e) {
      throw rejected(new CatalogImportReport(upload.fileName(), e.problems()));
    }
    if (imported.outcome() == null) {
      throw rejected(imported.prepared().report());
    }
    return FormularyFhir.imported(imported.outcome());
  }

  private static UnprocessableEntityException rejected(CatalogImportReport report) {
    OperationOutcome oo = report.toOperationOutcome();
    // The summary first: how many problems, and that nothing was imported.
    oo.getIssue().add(0, new OperationOutcome.OperationOutcomeIssueComponent()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics("catalog file rejected: " + report.problems().size() + " problem(s), nothing imported")
        .setDetails(new org.hl7.fhir.r4.model.CodeableConcept().setText(report.summary())));
    return new UnprocessableEntityException("catalog file rejected: " + report.problems().size() + " problem(s)", oo);
  }

  record Upload(byte[] content, String fileName, String formulary) {}

  private Upload readUpload(ServletRequestDetails request, String formulary, String fileName) throws IOException {
    HttpServletRequest http = request.getServletRequest();
    long max = properties.upload().maxFileSize().toBytes();
    if (http.getContentLengthLong() > max + 1_048_576) {
      throw tooLarge(max);
    }
    String contentType = http.getContentType() == null ? "" : http.getContentType().toLowerCase(Locale.ROOT);
    if (contentType.startsWith("multipart/")) {
      return multipart(http, formulary, fileName, max);
    }
    byte[] body = http.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (body.length > max) {
      throw tooLarge(max);
    }
    EncodingEnum encoding = EncodingEnum.forContentType(contentType.split(";")[0].trim());
    if (encoding != null && body.length > 0) {
      return fromParameters(encoding, body, formulary, fileName);
    }
    if (body.length == 0) {
      throw invalid("请求中没有目录文件", "the request carries no catalog file");
    }
    return new Upload(body, fileName != null ? fileName : "upload" + extensionOf(contentType), formulary);
  }

  private Upload fromParameters(EncodingEnum encoding, byte[] body, String formulary, String fileName) {
    Parameters parameters;
    try {
      parameters = encoding.newParser(fhirContext).parseResource(Parameters.class,
          new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid("请求体不是有效的 FHIR Parameters 资源", "the body is not a FHIR Parameters resource: " + e.getMessage());
    }
    byte[] content = null;
    String name = fileName;
    String target = formulary;
    for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
      switch (p.getName()) {
        case "file" -> {
          if (p.getResource() instanceof Binary binary) {
            content = binary.getContent();
          } else if (p.getValue() instanceof Attachment attachment) {
            content = attachment.getData();
            if (name == null && attachment.hasTitle()) {
              name = attachment.getTitle();
            }
          }
        }
        case "fileName" -> name = p.getValue() == null ? name : p.getValue().primitiveValue();
        case "formulary" -> target = formularyValue(p.getValue(), target);
        default -> { }
      }
    }
    if (content == null || content.length == 0) {
      throw invalid("参数 file 中没有目录文件（Binary 资源或 Attachment）", "parameter file (Binary or Attachment) is missing or empty");
    }
    return new Upload(content, name != null ? name : "upload", target);
  }

  private static String formularyValue(Type value, String fallback) {
    if (value instanceof Reference ref && ref.hasReference()) {
      return ref.getReference();
    }
    if (value instanceof Identifier identifier && identifier.hasValue()) {
      return identifier.getValue();
    }
    return value == null || value.primitiveValue() == null ? fallback : value.primitiveValue();
  }

  private static Upload multipart(HttpServletRequest http, String formulary, String fileName, long max) throws IOException {
    byte[] content = null;
    String name = fileName;
    String target = formulary;
    try {
      for (Part part : http.getParts()) {
        switch (part.getName()) {
          case "file" -> {
            if (part.getSize() > max) {
              throw tooLarge(max);
            }
            try (InputStream in = part.getInputStream()) {
              content = in.readAllBytes();
            }
            if (name == null && part.getSubmittedFileName() != null) {
              name = part.getSubmittedFileName();
            }
          }
          case "formulary" -> target = new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
          case "fileName" -> name = new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
          default -> { }
        }
      }
    } catch (ServletException | IllegalStateException e) {
      throw invalid("无法读取上传的文件（multipart）：" + e.getMessage(), "cannot read the multipart upload: " + e.getMessage());
    }
    if (content == null || content.length == 0) {
      throw invalid("上传内容中没有名为 file 的文件", "the multipart upload has no part named file");
    }
    return new Upload(content, name != null ? name : "upload", target);
  }

  private static String extensionOf(String contentType) {
    return contentType.contains("csv") ? ".csv" : contentType.contains("spreadsheetml") ? ".xlsx" : "";
  }

  // --------------------------------------------------------------------------- $catalog-template

  /** The blank catalog template: XLSX (default) or CSV ({@code _format=csv}). */
  @Operation(name = "$catalog-template", type = InsurancePlan.class, idempotent = true)
  public Binary catalogTemplate(ServletRequestDetails request) throws IOException {
    ReportFormat format = ReportFormat.requested(request) == ReportFormat.CSV ? ReportFormat.CSV : ReportFormat.XLSX;
    CatalogTemplate template = new CatalogTemplate(new CatalogVocabulary(terminology.resources()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (format == ReportFormat.CSV) {
      template.writeCsv(out);
    } else {
      template.writeXlsx(out);
    }
    String name = format == ReportFormat.CSV ? CatalogTemplate.CSV_FILE_NAME : CatalogTemplate.XLSX_FILE_NAME;
    return format.file(out.toByteArray(), name.substring(0, name.lastIndexOf('.')));
  }

  // ------------------------------------------------------------------------------ $copy-version

  /** Next year's consortium version with the listed items of this one. */
  @Operation(name = "$copy-version", type = InsurancePlan.class, idempotent = false)
  public Parameters copyVersion(
      @IdParam IdType id,
      @OperationParam(name = "identifier", max = 1) StringType identifier,
      @OperationParam(name = "start", max = 1) DateType start,
      @OperationParam(name = "end", max = 1) DateType end,
      @OperationParam(name = "name", max = 1) StringType name) {
    FormularyVersion source = formularies.require(id.getIdPart());
    return FormularyFhir.copied(versions.copy(source, text(identifier), date(start), date(end), text(name)));
  }

  // -------------------------------------------------------------------------------------- $diff

  /** Items introduced, removed and changed from version {@code from} to version {@code to}. */
  @Operation(name = "$diff", type = InsurancePlan.class, idempotent = true)
  public IBaseResource diff(
      @OperationParam(name = "from", min = 1, max = 1) StringType from,
      @OperationParam(name = "to", min = 1, max = 1) StringType to,
      ServletRequestDetails request) {
    if (text(from) == null || text(to) == null) {
      throw invalid("请用参数 from 和 to 指定要比较的两个目录版本", "give both from and to (InsurancePlan id or formulary identifier)");
    }
    FormularyDiff.Result result = reports.diff(formularies.require(text(from)), formularies.require(text(to)));
    ReportFormat format = ReportFormat.requested(request);
    return format == ReportFormat.FHIR ? fhir.diff(result)
        : format.download(FormularyTables.diff(result), "目录变化-" + key(result.from()) + "-" + key(result.to()));
  }

  // ---------------------------------------------------------------------------------- $coverage

  /** 衔接药品配备率 per member institution: a MeasureReport each, plus the summary MeasureReport. */
  @Operation(name = "$coverage", type = InsurancePlan.class, idempotent = true)
  public IBaseResource coverage(@IdParam IdType id, ServletRequestDetails request) {
    LinkageCoverage.Result result = reports.coverage(formularies.require(id.getIdPart()));
    // The MeasureReports are aggregates over formulary resources every role may read; they have no
    // subject and carry no patient data. HAPI's consent filter treats every MeasureReport as
    // patient data (a Patient-compartment type) and would drop them from the Bundle.
    ConsentInterceptor.skipAllConsentForRequest(request);
    ReportFormat format = ReportFormat.requested(request);
    return format == ReportFormat.FHIR ? fhir.coverage(result)
        : format.download(FormularyTables.coverage(result), "衔接药品配备率-" + key(result.version()));
  }

  // -------------------------------------------------------------------------------- $statistics

  /** Counts by VBP, essential medicine, insurance class, chronic-disease group, linkage, changes. */
  @Operation(name = "$statistics", type = InsurancePlan.class, idempotent = true)
  public IBaseResource statistics(@IdParam IdType id, ServletRequestDetails request) {
    FormularyStatistics.Result result = reports.statistics(formularies.require(id.getIdPart()));
    ReportFormat format = ReportFormat.requested(request);
    return format == ReportFormat.FHIR ? FormularyFhir.statistics(result)
        : format.download(FormularyTables.statistics(result), "目录统计-" + key(result.version()));
  }

  // ---------------------------------------------------------------------------- $two-spec-check

  /** 一品两规 violations of the member formularies inside this consortium version. */
  @Operation(name = "$two-spec-check", type = InsurancePlan.class, idempotent = true)
  public IBaseResource twoSpecCheck(@IdParam IdType id, ServletRequestDetails request) {
    FormularyVersion version = formularies.require(id.getIdPart());
    List<TwoSpecCheck.InstitutionResult> result = reports.twoSpecCheck(version);
    int max = properties.twoSpec().maxPerRoute();
    ReportFormat format = ReportFormat.requested(request);
    return format == ReportFormat.FHIR ? FormularyFhir.twoSpec(version, result, max)
        : format.download(FormularyTables.twoSpec(result, max), "一品两规检查-" + key(version));
  }

  // ----------------------------------------------------------------------------- $where-stocked

  /** Which member institutions stock this product (in their latest member formulary). */
  @Operation(name = "$where-stocked", type = Medication.class, idempotent = true)
  public IBaseResource whereStockedMedication(
      @IdParam IdType id,
      @OperationParam(name = "formulary", max = 1) StringType formulary,
      ServletRequestDetails request) {
    if (formularies.medication(id.getIdPart()).isEmpty()) {
      throw new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(id);
    }
    return whereStocked(List.of(id.getIdPart()), formulary, request);
  }

  /**
   * Which member institutions stock products of a generic name (通用名 as the catalog writes it), in
   * the member formularies of consortium version {@code formulary} (or of the instance), else in
   * each institution's latest member formulary.
   */
  @Operation(name = "$where-stocked", type = InsurancePlan.class, idempotent = true)
  public IBaseResource whereStockedGeneric(
      @IdParam(optional = true) IdType id,
      @OperationParam(name = "generic-name", min = 1, max = 1) StringType genericName,
      @OperationParam(name = "formulary", max = 1) StringType formulary,
      ServletRequestDetails request) {
    if (text(genericName) == null) {
      throw invalid("请用参数 generic-name 指定药品通用名", "give generic-name");
    }
    StringType version = id != null && id.hasIdPart() ? new StringType(id.getIdPart()) : formulary;
    return whereStocked(reports.medicationsNamed(text(genericName)), version, request);
  }

  private IBaseResource whereStocked(List<String> medicationIds, StringType formulary, ServletRequestDetails request) {
    FormularyVersion version = text(formulary) == null ? null : formularies.require(text(formulary));
    List<FormularyReportService.Stocking> stockings = reports.whereStocked(medicationIds, version);
    ReportFormat format = ReportFormat.requested(request);
    return format == ReportFormat.FHIR ? FormularyFhir.whereStocked(reports.products(medicationIds), stockings)
        : format.download(FormularyTables.whereStocked(stockings), "药品配备机构");
  }

  // ------------------------------------------------------------------------------------ helpers

  private static String key(FormularyVersion v) {
    return v.identifier() != null ? v.identifier() : v.id();
  }

  private static String text(org.hl7.fhir.r4.model.PrimitiveType<?> value) {
    return value == null || value.isEmpty() || value.getValueAsString().isBlank() ? null : value.getValueAsString().trim();
  }

  private static LocalDate date(DateType value) {
    return value == null || value.getValue() == null ? null
        : LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
  }

  private static InvalidRequestException invalid(String chinese, String english) {
    InvalidRequestException e = new InvalidRequestException(english);
    e.setOperationOutcome(FormularyOutcomes.outcome(OperationOutcome.IssueType.INVALID, chinese, english));
    return e;
  }

  private static PayloadTooLargeException tooLarge(long max) {
    PayloadTooLargeException e = new PayloadTooLargeException("catalog file larger than " + max + " bytes");
    e.setOperationOutcome(FormularyOutcomes.outcome(OperationOutcome.IssueType.TOOLONG,
        "目录文件超过大小上限（" + (max / 1_048_576) + " MB）", "catalog file larger than " + max + " bytes"));
    return e;
  }
}
