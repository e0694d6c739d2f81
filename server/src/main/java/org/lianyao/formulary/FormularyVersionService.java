package org.lianyao.formulary;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.feed.catalog.CatalogConverter;
import org.lianyao.formulary.index.FormularyIndex;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Service;

/**
 * New consortium versions: {@code InsurancePlan/[id]/$copy-version} creates next year's version with
 * the listed items of the previous one (removal records 调出 and change records are not copied — the
 * new version starts without adjustments), in one transaction. The committee then imports this
 * year's file into it, or edits items one by one.
 */
@Service
public class FormularyVersionService {

  private static final Pattern YEAR = Pattern.compile("(19|20)\\d{2}");

  private final Formularies formularies;
  private final FormularyIndex index;
  private final IFhirSystemDao<Bundle, ?> systemDao;

  public FormularyVersionService(Formularies formularies, FormularyIndex index, IFhirSystemDao<Bundle, ?> systemDao) {
    this.formularies = formularies;
    this.index = index;
    this.systemDao = systemDao;
  }

  /** The new version and the number of items copied into it. */
  public record Copied(InsurancePlan plan, FormularyVersion version, int items) {}

  /**
   * @param identifier the new version's identifier; default: the source's with its year plus one
   * @param start default: the day after the source's end
   * @param end default: one year after start, less a day
   * @param name default: the source's name with its year plus one
   */
  public Copied copy(FormularyVersion source, String identifier, LocalDate start, LocalDate end, String name) {
    if (source.kind() != FormularyKind.CONSORTIUM) {
      throw FormularyOutcomes.unprocessable("只能复制医联体目录版本生成新版本，“" + source.label() + "”不是医联体目录",
          source.reference() + " is not a consortium formulary version");
    }
    String newIdentifier = blank(identifier) ? nextYear(source.identifier()) : identifier.trim();
    if (newIdentifier == null) {
      throw FormularyOutcomes.unprocessable("请用参数 identifier 指定新版本编号（原版本编号中没有年份可以顺延）",
          "give the new version's identifier (the source identifier has no year to increment)");
    }
    if (formularies.versionByIdentifier(newIdentifier).isPresent()) {
      throw FormularyOutcomes.unprocessable("目录版本“" + newIdentifier + "”已存在，不能重复生成",
          "formulary version " + newIdentifier + " already exists");
    }
    LocalDate newStart = start != null ? start
        : source.end() != null ? source.end().plusDays(1) : source.start() != null ? source.start().plusYears(1) : null;
    if (newStart == null) {
      throw FormularyOutcomes.unprocessable("请用参数 start 指定新版本的开始日期", "give the new version's start date");
    }
    LocalDate newEnd = end != null ? end : newStart.plusYears(1).minusDays(1);

    InsurancePlan plan = formularies.plan(source.id()).orElseThrow().copy();
    plan.setId((String) null);
    plan.setMeta(new Meta());
    plan.getIdentifier().clear();
    plan.addIdentifier().setSystem(IdentifierSystems.FORMULARY).setValue(newIdentifier);
    plan.setPeriod(new Period().setStartElement(date(newStart)).setEndElement(date(newEnd)));
    int years = yearOf(source) == 0 ? 1 : newStart.getYear() - yearOf(source);
    plan.setName(blank(name) ? bumpYears(source.name(), years) : name.trim());
    plan.getAlias().clear();
    plan.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);

    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String planUrl = "urn:uuid:" + UUID.randomUUID();
    tx.addEntry().setFullUrl(planUrl).setResource(plan).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl("InsurancePlan").setIfNoneExist("identifier=" + IdentifierSystems.FORMULARY + "|" + newIdentifier);

    List<String> ids = index.entries(List.of(source.id())).stream().filter(FormularyEntry::active)
        .map(FormularyEntry::itemId).toList();
    int items = 0;
    for (Basic original : formularies.basics(ids)) {
      Basic copy = original.copy();
      copy.setId((String) null);
      copy.setMeta(new Meta());
      copy.getExtension().removeIf(e -> Extensions.FORMULARY_CHANGE.equals(e.getUrl()));
      for (Extension ext : copy.getExtensionsByUrl(Extensions.FORMULARY_REFERENCE)) {
        ext.setValue(new Reference(planUrl));
      }
      String productKey = FormularyResources.toEntry(original).productKey();
      copy.getIdentifier().removeIf(i -> IdentifierSystems.FORMULARY_ITEM.equals(i.getSystem()));
      String itemKey = productKey == null ? null : newIdentifier + "|" + productKey;
      if (itemKey != null) {
        copy.addIdentifier().setSystem(IdentifierSystems.FORMULARY_ITEM).setValue(itemKey);
      }
      copy.setCreated(null);
      Bundle.BundleEntryComponent entry = tx.addEntry().setResource(copy);
      if (itemKey != null) {
        entry.getRequest().setMethod(Bundle.HTTPVerb.PUT)
            .setUrl(CatalogConverter.conditionalUrl("Basic", IdentifierSystems.FORMULARY_ITEM, itemKey));
      } else {
        entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Basic");
      }
      items++;
    }
    Bundle response = systemDao.transaction(new SystemRequestDetails(), tx);
    IdType created = new IdType(response.getEntryFirstRep().getResponse().getLocation());
    InsurancePlan stored = formularies.plan(created.getIdPart()).orElseThrow();
    return new Copied(stored, FormularyVersion.of(stored), items);
  }

  static String nextYear(String identifier) {
    if (identifier == null) {
      return null;
    }
    Matcher m = YEAR.matcher(identifier);
    int lastStart = -1;
    while (m.find()) {
      lastStart = m.start();
    }
    if (lastStart < 0) {
      return null;
    }
    int year = Integer.parseInt(identifier.substring(lastStart, lastStart + 4));
    return identifier.substring(0, lastStart) + (year + 1) + identifier.substring(lastStart + 4);
  }

  static String bumpYears(String text, int by) {
    if (text == null || text.isEmpty() || by == 0) {
      return text;
    }
    Matcher m = YEAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Integer.toString(Integer.parseInt(m.group()) + by));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int yearOf(FormularyVersion v) {
    return v.start() != null ? v.start().getYear() : v.end() != null ? v.end().getYear() : 0;
  }

  private static DateTimeType date(LocalDate d) {
    return new DateTimeType(d.toString());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

}
