package org.lianyao.formulary;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.feed.catalog.CatalogWriteOutcome;
import org.lianyao.formulary.report.FormularyDiff;
import org.lianyao.formulary.report.FormularyStatistics;
import org.lianyao.formulary.report.LinkageCoverage;
import org.lianyao.formulary.report.TwoSpecCheck;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;

/**
 * The formulary reports as FHIR resources: Parameters for diff, statistics, 一品两规 and
 * where-stocked; a MeasureReport per institution plus a summary MeasureReport for coverage.
 *
 * <p>R4 MeasureReport cannot name an Organization as its subject, so an institution's report names
 * it as {@code reporter} (the formulary it reports on is the institution's own) and carries the
 * assessment — threshold, pass/fail, low-variety — in the extension {@value #COVERAGE_ASSESSMENT}.
 * These two report extensions are local to the formulary operations (not stored on resources);
 * docs/conventions.md does not list them.
 */
@org.springframework.stereotype.Component
public class FormularyFhir {

  /** Complex extension on an institution's MeasureReport: level, grassroots, threshold, pass, lowVariety. */
  public static final String COVERAGE_ASSESSMENT = IdentifierSystems.CANONICAL_BASE
      + "/StructureDefinition/linkage-coverage-assessment";
  /** Complex extension on the summary MeasureReport: counts, grassroots average, cut-off, thresholds. */
  public static final String COVERAGE_SUMMARY = IdentifierSystems.CANONICAL_BASE
      + "/StructureDefinition/linkage-coverage-summary";
  /** Canonical of the (not published) measure: share of the version's linkage drugs a member stocks. */
  public static final String COVERAGE_MEASURE = IdentifierSystems.CANONICAL_BASE + "/Measure/linkage-drug-coverage";
  private static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";
  private static final String UCUM = "http://unitsofmeasure.org";

  // ------------------------------------------------------------------------------ import, copy

  public static Parameters imported(CatalogWriteOutcome o) {
    Parameters p = new Parameters();
    p.addParameter().setName("formulary").setValue(new Reference(o.formulary()));
    p.addParameter("items", o.items());
    p.addParameter("created", o.created());
    p.addParameter("updated", o.updated());
    p.addParameter("unchanged", o.unchanged());
    p.addParameter("removed", o.removed());
    p.addParameter("summary", o.summary());
    return p;
  }

  public static Parameters copied(FormularyVersionService.Copied copied) {
    Parameters p = new Parameters();
    p.addParameter().setName("formulary").setResource(copied.plan());
    p.addParameter("items", copied.items());
    return p;
  }

  // -------------------------------------------------------------------------------------- diff

  public Parameters diff(FormularyDiff.Result r) {
    Parameters p = new Parameters();
    p.addParameter().setName("from").setValue(r.from().toReference());
    p.addParameter().setName("to").setValue(r.to().toReference());
    p.addParameter("introducedCount", r.introduced().size());
    p.addParameter("removedCount", r.removed().size());
    p.addParameter("changedCount", r.changed().size());
    p.addParameter("unchangedCount", r.unchanged());
    for (FormularyEntry e : r.introduced()) {
      ParametersParameterComponent part = item(p.addParameter().setName("introduced"), e);
      declared(part, e);
    }
    for (FormularyEntry e : r.removed()) {
      ParametersParameterComponent part = item(p.addParameter().setName("removed"), e);
      r.removalRecordOf(e).ifPresent(record -> declared(part, record));
    }
    for (FormularyDiff.ItemChange c : r.changed()) {
      ParametersParameterComponent part = p.addParameter().setName("changed");
      part.addPart().setName("fromItem").setValue(new Reference("Basic/" + c.from().itemId()));
      item(part, c.to());
      for (FormularyDiff.FieldChange f : c.changes()) {
        ParametersParameterComponent field = part.addPart().setName("field");
        field.addPart().setName("name").setValue(new CodeType(f.field().code()));
        field.addPart().setName("label").setValue(new StringType(f.field().label()));
        field.addPart().setName("from").setValue(new StringType(f.from()));
        field.addPart().setName("to").setValue(new StringType(f.to()));
      }
      declared(part, c.to());
    }
    return p;
  }

  private ParametersParameterComponent item(ParametersParameterComponent part, FormularyEntry e) {
    part.addPart().setName("item").setValue(new Reference("Basic/" + e.itemId()));
    if (e.medicationId() != null) {
      part.addPart().setName("medication").setValue(new Reference("Medication/" + e.medicationId()).setDisplay(e.label()));
    }
    Product prod = e.product();
    if (prod != null) {
      part.addPart().setName("genericName").setValue(new StringType(prod.genericName()));
      part.addPart().setName("dosageForm").setValue(new StringType(prod.dosageFormText()));
      part.addPart().setName("strength").setValue(new StringType(prod.strength()));
      if (!prod.packageText().isEmpty()) {
        part.addPart().setName("package").setValue(new StringType(prod.packageText()));
      }
      part.addPart().setName("manufacturer").setValue(new StringType(prod.manufacturer()));
    }
    return part;
  }

  /** The change the catalog itself declares (引进/调出/变更, effective date, reason). */
  private static void declared(ParametersParameterComponent part, FormularyEntry e) {
    if (e.changeType() != null) {
      part.addPart().setName("declaredChange").setValue(new Coding(CodeSystems.FORMULARY_CHANGE_TYPE, e.changeType(),
          FormularyStatistics.changeDisplay(e.changeType())));
      if (e.changeEffective() != null) {
        part.addPart().setName("effective").setValue(new DateType(e.changeEffective().toString()));
      }
      if (!e.changeReason().isEmpty()) {
        part.addPart().setName("reason").setValue(new StringType(e.changeReason()));
      }
    }
  }

  // -------------------------------------------------------------------------------- statistics

  public static Parameters statistics(FormularyStatistics.Result r) {
    Parameters p = new Parameters();
    p.addParameter().setName("formulary").setValue(r.version().toReference());
    p.addParameter("total", r.total());
    p.addParameter("removalRecords", r.removalRecords());
    for (FormularyStatistics.Count c : r.counts()) {
      ParametersParameterComponent part = p.addParameter().setName("count");
      part.addPart().setName("dimension").setValue(new CodeType(c.dimension()));
      part.addPart().setName("dimensionLabel").setValue(new StringType(c.dimensionLabel()));
      part.addPart().setName("code").setValue(new StringType(c.code()));
      part.addPart().setName("display").setValue(new StringType(c.display()));
      part.addPart().setName("count").setValue(new IntegerType(c.count()));
      part.addPart().setName("percent").setValue(new DecimalType(c.percent()));
    }
    return p;
  }

  // ---------------------------------------------------------------------------------- coverage

  /** One MeasureReport per institution, then the summary MeasureReport. */
  public Bundle coverage(LinkageCoverage.Result r) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    bundle.setTimestamp(new Date());
    for (LinkageCoverage.InstitutionResult i : r.institutions()) {
      bundle.addEntry().setResource(institutionReport(r, i));
    }
    bundle.addEntry().setResource(summaryReport(r));
    return bundle;
  }

  private MeasureReport institutionReport(LinkageCoverage.Result r, LinkageCoverage.InstitutionResult i) {
    MeasureReport mr = base(r);
    mr.setReporter(new Reference(i.institution().reference()).setDisplay(i.institution().label()));
    if (i.formulary() != null) {
      mr.addEvaluatedResource(i.formulary().toReference());
    }
    Extension a = mr.addExtension().setUrl(COVERAGE_ASSESSMENT);
    if (i.institution().levelCode() != null) {
      a.addExtension("level", new Coding(CodeSystems.INSTITUTION_LEVEL, i.institution().levelCode(),
          i.institution().levelDisplay()));
    }
    if (i.institution().grassroots() != null) {
      a.addExtension("grassroots", new BooleanType(i.institution().grassroots()));
    }
    if (i.threshold() != null) {
      a.addExtension("threshold", new DecimalType(i.threshold()));
    }
    if (i.pass() != null) {
      a.addExtension("pass", new BooleanType(i.pass()));
    }
    a.addExtension("lowVariety", new BooleanType(i.lowVariety()));
    MeasureReport.MeasureReportGroupComponent g = mr.addGroup();
    g.setCode(new CodeableConcept().setText("衔接药品配备率"));
    g.addPopulation().setCode(population("denominator", "衔接药品数")).setCount(i.linkageItems());
    g.addPopulation().setCode(population("numerator", "已配备衔接药品数")).setCount(i.stocked());
    if (i.rate() != null) {
      g.setMeasureScore(percent(i.rate()));
    }
    return mr;
  }

  private MeasureReport summaryReport(LinkageCoverage.Result r) {
    MeasureReport mr = base(r);
    if (r.version().ownerId() != null) {
      mr.setReporter(new Reference("Organization/" + r.version().ownerId()).setDisplay(r.version().ownerDisplay()));
    }
    Extension s = mr.addExtension().setUrl(COVERAGE_SUMMARY);
    s.addExtension("institutions", new IntegerType(r.institutions().size()));
    s.addExtension("passed", new IntegerType((int) r.passed()));
    s.addExtension("failed", new IntegerType((int) r.failed()));
    s.addExtension("lowVariety", new IntegerType((int) r.lowVariety()));
    if (r.grassrootsAverage() != null) {
      s.addExtension("grassrootsAverage", new DecimalType(r.grassrootsAverage()));
      s.addExtension("lowVarietyCutoff", new DecimalType(r.lowVarietyCutoff()));
    }
    s.addExtension("leadThreshold", new DecimalType(r.rules().leadThreshold()));
    s.addExtension("grassrootsThreshold", new DecimalType(r.rules().grassrootsThreshold()));
    s.addExtension("lowVarietyFactor", new DecimalType(r.rules().lowVarietyFactor()));
    MeasureReport.MeasureReportGroupComponent g = mr.addGroup();
    g.setCode(new CodeableConcept().setText("衔接药品配备达标机构"));
    g.addPopulation().setCode(population("initial-population", "参评机构数")).setCount(r.institutions().size());
    g.addPopulation().setCode(population("numerator", "达标机构数")).setCount((int) r.passed());
    if (!r.institutions().isEmpty()) {
      g.setMeasureScore(percent(BigDecimal.valueOf(r.passed() * 100.0 / r.institutions().size())
          .setScale(2, java.math.RoundingMode.HALF_UP)));
    }
    return mr;
  }

  private static MeasureReport base(LinkageCoverage.Result r) {
    MeasureReport mr = new MeasureReport();
    mr.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
    mr.setType(MeasureReport.MeasureReportType.SUMMARY);
    mr.setMeasure(COVERAGE_MEASURE);
    mr.setDate(new Date());
    Period period = new Period();
    if (r.version().start() != null) {
      period.setStartElement(new org.hl7.fhir.r4.model.DateTimeType(r.version().start().toString()));
    }
    if (r.version().end() != null) {
      period.setEndElement(new org.hl7.fhir.r4.model.DateTimeType(r.version().end().toString()));
    }
    mr.setPeriod(period);
    mr.setImprovementNotation(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase", "Increased score indicates improvement")));
    mr.addEvaluatedResource(r.version().toReference());
    return mr;
  }

  private static CodeableConcept population(String code, String text) {
    return new CodeableConcept(new Coding(POPULATION, code, null)).setText(text);
  }

  private static Quantity percent(BigDecimal value) {
    return new Quantity().setValue(value).setUnit("%").setSystem(UCUM).setCode("%");
  }

  // -------------------------------------------------------------------------------- two-spec

  public static Parameters twoSpec(FormularyVersion version, List<TwoSpecCheck.InstitutionResult> results, int max) {
    Parameters p = new Parameters();
    p.addParameter().setName("formulary").setValue(version.toReference());
    p.addParameter("institutions", results.size());
    p.addParameter("violations", results.stream().mapToInt(r -> r.violations().size()).sum());
    for (TwoSpecCheck.InstitutionResult r : results) {
      ParametersParameterComponent inst = p.addParameter().setName("institution");
      inst.addPart().setName("organization").setValue(new Reference(r.institution().reference()).setDisplay(r.institution().label()));
      if (!r.institution().nhsaCode().isEmpty()) {
        inst.addPart().setName("institutionCode").setValue(new StringType(r.institution().nhsaCode()));
      }
      inst.addPart().setName("formulary").setValue(r.formulary().toReference());
      inst.addPart().setName("violationCount").setValue(new IntegerType(r.violations().size()));
      for (TwoSpecCheck.Group g : r.violations()) {
        group(inst.addPart().setName("violation"), g, max);
      }
      for (TwoSpecCheck.Group g : r.exempted()) {
        group(inst.addPart().setName("exempted"), g, max);
      }
    }
    return p;
  }

  private static void group(ParametersParameterComponent part, TwoSpecCheck.Group g, int max) {
    part.addPart().setName("genericName").setValue(new StringType(g.genericName()));
    part.addPart().setName("route").setValue(new Coding(null, g.route().code(), g.route().display()));
    part.addPart().setName("productCount").setValue(new IntegerType(g.productCount()));
    part.addPart().setName("limit").setValue(new IntegerType(max));
    part.addPart().setName("exempt").setValue(new BooleanType(g.exempt()));
    for (FormularyEntry e : g.items()) {
      part.addPart().setName("product").setValue(new Reference("Medication/" + e.medicationId()).setDisplay(e.label()));
    }
  }

  // ----------------------------------------------------------------------------- where-stocked

  public static Parameters whereStocked(List<Product> products, List<FormularyReportService.Stocking> stockings) {
    Parameters p = new Parameters();
    for (Product prod : products) {
      p.addParameter().setName("medication").setValue(new Reference("Medication/" + prod.medicationId()).setDisplay(prod.label()));
    }
    p.addParameter("institutionCount", (int) stockings.stream().map(s -> s.institution().id()).distinct().count());
    for (FormularyReportService.Stocking s : stockings) {
      ParametersParameterComponent part = p.addParameter().setName("stocked");
      part.addPart().setName("organization").setValue(new Reference(s.institution().reference()).setDisplay(s.institution().label()));
      if (!s.institution().nhsaCode().isEmpty()) {
        part.addPart().setName("institutionCode").setValue(new StringType(s.institution().nhsaCode()));
      }
      part.addPart().setName("formulary").setValue(s.formulary().toReference());
      part.addPart().setName("item").setValue(new Reference("Basic/" + s.item().itemId()));
      if (s.item().medicationId() != null) {
        part.addPart().setName("medication").setValue(new Reference("Medication/" + s.item().medicationId())
            .setDisplay(s.item().label()));
      }
    }
    return p;
  }
}
