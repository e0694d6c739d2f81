package org.lianyao.shortage;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.lianyao.security.web.OperationOutcomes;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Service;

/**
 * {@code SupplyRequest/$shortage-report?period=2026-01-01/2026-12-31}: the consortium's shortage
 * registrations authored in the period, counted per drug, most registered first; drugs registered at
 * least {@code lianyao.shortage.candidate-threshold} times are marked as candidates for next year's
 * catalog (缺药登记反馈次年目录调整). Registrations cancelled or entered in error do not count.
 *
 * <p>Answer (Parameters): {@code period}, {@code threshold}, {@code registrations} (total counted),
 * then one {@code drug} per drug with parts {@code medication} (Reference) or {@code item}
 * (CodeableConcept), {@code name}, {@code registrations}, {@code institutions}, {@code candidate}.
 */
@Service
public class ShortageReportService {

  private final DaoRegistry daoRegistry;
  private final ShortageProperties properties;

  public ShortageReportService(DaoRegistry daoRegistry, ShortageProperties properties) {
    this.daoRegistry = daoRegistry;
    this.properties = properties;
  }

  /** Parses {@code start/end} (ISO dates, both inclusive); a single year {@code 2026} is the whole year. */
  public static LocalDate[] parsePeriod(String period) {
    if (period == null || period.isBlank()) {
      throw invalid("请给出统计期间 period，例如 2026-01-01/2026-12-31", "period is required, e.g. 2026-01-01/2026-12-31");
    }
    String p = period.strip();
    try {
      if (p.matches("\\d{4}")) {
        int year = Integer.parseInt(p);
        return new LocalDate[] {LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)};
      }
      String[] parts = p.split("/");
      if (parts.length != 2) {
        throw invalid("统计期间格式应为 开始日期/结束日期，例如 2026-01-01/2026-12-31",
            "period must be start/end, e.g. 2026-01-01/2026-12-31");
      }
      LocalDate start = LocalDate.parse(parts[0].strip());
      LocalDate end = LocalDate.parse(parts[1].strip());
      if (end.isBefore(start)) {
        throw invalid("统计期间的结束日期早于开始日期", "period end is before its start");
      }
      return new LocalDate[] {start, end};
    } catch (DateTimeParseException e) {
      throw invalid("统计期间的日期无效（应为 YYYY-MM-DD）：" + p, "invalid period date: " + e.getParsedString());
    }
  }

  public Parameters report(String period) {
    LocalDate[] range = parsePeriod(period);
    SearchParameterMap map = new SearchParameterMap();
    map.setLoadSynchronous(true);
    map.setLoadSynchronousUpTo(properties.maxReportRegistrations());
    map.add(SupplyRequest.SP_DATE, new DateRangeParam(
        new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, range[0].toString()),
        new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, range[1].toString())));
    TokenOrListParam statuses = new TokenOrListParam();
    statuses.add(new TokenParam("active"));
    statuses.add(new TokenParam("completed"));
    map.add(SupplyRequest.SP_STATUS, statuses);
    List<IBaseResource> found = daoRegistry.getResourceDao(SupplyRequest.class)
        .search(map, new SystemRequestDetails()).getAllResources();

    Map<String, Medication> medications = medications(found);
    List<ShortageTally.Registration> registrations = new ArrayList<>();
    for (IBaseResource r : found) {
      SupplyRequest sr = (SupplyRequest) r;
      String institution = sr.getRequester().getReferenceElement().toUnqualifiedVersionless().getValue();
      if (sr.hasItemReference()) {
        String ref = sr.getItemReference().getReferenceElement().toUnqualifiedVersionless().getValue();
        Medication m = medications.get(ref);
        String label = m != null ? label(m) : sr.getItemReference().getDisplay();
        registrations.add(new ShortageTally.Registration(ref, label, ref, institution));
      } else if (sr.hasItemCodeableConcept()) {
        CodeableConcept c = sr.getItemCodeableConcept();
        String key = c.getCoding().stream().filter(x -> x.hasSystem() && x.hasCode()
                && (IdentifierSystems.NHSA_DRUG_CODE.equals(x.getSystem()) || IdentifierSystems.NMPA_STANDARD_CODE.equals(x.getSystem())))
            .map(x -> x.getSystem() + "|" + x.getCode()).findFirst()
            .orElse("text:" + (c.hasText() ? c.getText().strip() : ""));
        registrations.add(new ShortageTally.Registration(key, c.hasText() ? c.getText() : key, null, institution));
      }
    }
    List<ShortageTally.Row> rows = ShortageTally.tally(registrations, properties.candidateThreshold());

    Parameters out = new Parameters();
    out.addParameter().setName("period").setValue(new Period()
        .setStartElement(new org.hl7.fhir.r4.model.DateTimeType(range[0].toString()))
        .setEndElement(new org.hl7.fhir.r4.model.DateTimeType(range[1].toString())));
    out.addParameter().setName("threshold").setValue(new IntegerType(properties.candidateThreshold()));
    out.addParameter().setName("registrations").setValue(new IntegerType(registrations.size()));
    for (ShortageTally.Row row : rows) {
      Parameters.ParametersParameterComponent drug = out.addParameter().setName("drug");
      if (row.medicationReference() != null) {
        drug.addPart().setName("medication").setValue(new Reference(row.medicationReference()).setDisplay(row.drugLabel()));
      } else {
        CodeableConcept item = new CodeableConcept().setText(row.drugLabel());
        int bar = row.drugKey().indexOf('|');
        if (!row.drugKey().startsWith("text:") && bar > 0) {
          item.addCoding(new Coding(row.drugKey().substring(0, bar), row.drugKey().substring(bar + 1), null));
        }
        drug.addPart().setName("item").setValue(item);
      }
      drug.addPart().setName("name").setValue(new StringType(row.drugLabel()));
      drug.addPart().setName("registrations").setValue(new IntegerType(row.registrations()));
      drug.addPart().setName("institutions").setValue(new IntegerType(row.institutions()));
      drug.addPart().setName("candidate").setValue(new BooleanType(row.candidate()));
    }
    out.addParameter().setName("generated").setValue(new DateType(LocalDate.now().toString()));
    return out;
  }

  private Map<String, Medication> medications(List<IBaseResource> registrations) {
    Map<String, Medication> byRef = new HashMap<>();
    TokenOrListParam ids = new TokenOrListParam();
    for (IBaseResource r : registrations) {
      SupplyRequest sr = (SupplyRequest) r;
      if (sr.hasItemReference() && "Medication".equals(sr.getItemReference().getReferenceElement().getResourceType())) {
        ids.add(new TokenParam(sr.getItemReference().getReferenceElement().getIdPart()));
      }
    }
    if (ids.getValuesAsQueryTokens().isEmpty()) {
      return byRef;
    }
    SearchParameterMap map = SearchParameterMap.newSynchronous();
    map.add("_id", ids);
    for (IBaseResource m : daoRegistry.getResourceDao(Medication.class).search(map, new SystemRequestDetails()).getAllResources()) {
      byRef.put("Medication/" + m.getIdElement().getIdPart(), (Medication) m);
    }
    return byRef;
  }

  static String label(Medication m) {
    StringBuilder b = new StringBuilder(m.getCode().hasText() ? m.getCode().getText() : "Medication/" + m.getIdElement().getIdPart());
    var strength = m.getExtensionByUrl(org.lianyao.terminology.Extensions.MEDICATION_STRENGTH);
    if (strength != null && strength.getValue() != null) {
      b.append(' ').append(strength.getValue().primitiveValue());
    }
    if (m.getManufacturer().hasDisplay()) {
      b.append('（').append(m.getManufacturer().getDisplay()).append('）');
    }
    return b.toString();
  }

  private static ca.uhn.fhir.rest.server.exceptions.InvalidRequestException invalid(String chinese, String english) {
    var e = new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(english);
    e.setOperationOutcome(OperationOutcomes.outcome(IssueType.INVALID, chinese, english));
    return e;
  }
}
