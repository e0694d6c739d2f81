package org.lianyao.formulary;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lianyao.formulary.index.FormularyIndex;
import org.lianyao.formulary.report.FormularyDiff;
import org.lianyao.formulary.report.FormularyStatistics;
import org.lianyao.formulary.report.LinkageCoverage;
import org.lianyao.formulary.report.ProductMatcher;
import org.lianyao.formulary.report.TwoSpecCheck;
import org.springframework.stereotype.Service;

/**
 * The formulary reports: each loads what it needs once — versions and institutions through HAPI's
 * DAOs, items in one query of the {@link FormularyIndex} — and counts in memory with the pure
 * calculators of {@code org.lianyao.formulary.report}.
 */
@Service
public class FormularyReportService {

  private final Formularies formularies;
  private final FormularyIndex index;
  private final FormularyTerminology terminology;
  private final FormularyProperties properties;

  public FormularyReportService(Formularies formularies, FormularyIndex index, FormularyTerminology terminology,
      FormularyProperties properties) {
    this.formularies = formularies;
    this.index = index;
    this.terminology = terminology;
    this.properties = properties;
  }

  public FormularyDiff.Result diff(FormularyVersion from, FormularyVersion to) {
    Map<String, List<FormularyEntry>> items = itemsByFormulary(List.of(from.id(), to.id()));
    return FormularyDiff.diff(from, items.getOrDefault(from.id(), List.of()), to,
        items.getOrDefault(to.id(), List.of()), terminology);
  }

  public FormularyStatistics.Result statistics(FormularyVersion version) {
    return FormularyStatistics.compute(version, index.entries(List.of(version.id())), terminology);
  }

  /**
   * Linkage-drug coverage of every member institution of the version's consortium: the institutions
   * under the version's owner ({@code Organization.partOf}) and the owners of member formularies
   * pointing to the version. An institution without such a member formulary stocks nothing.
   */
  public LinkageCoverage.Result coverage(FormularyVersion version) {
    requireConsortium(version);
    Map<String, FormularyVersion> formularyByOwner = latestByOwner(formularies.membersOf(version.id()));
    Map<String, Institution> institutions = new LinkedHashMap<>();
    if (version.ownerId() != null) {
      formularies.membersOfConsortium(version.ownerId()).forEach(i -> institutions.put(i.id(), i));
    }
    Set<String> missing = new LinkedHashSet<>(formularyByOwner.keySet());
    missing.removeAll(institutions.keySet());
    institutions.putAll(formularies.institutions(missing));

    List<String> ids = new ArrayList<>();
    ids.add(version.id());
    formularyByOwner.values().forEach(f -> ids.add(f.id()));
    Map<String, List<FormularyEntry>> items = itemsByFormulary(ids);
    List<LinkageCoverage.Member> members = new ArrayList<>();
    for (Institution institution : institutions.values()) {
      FormularyVersion formulary = formularyByOwner.get(institution.id());
      members.add(new LinkageCoverage.Member(institution, formulary,
          formulary == null ? List.of() : items.getOrDefault(formulary.id(), List.of())));
    }
    return LinkageCoverage.compute(version, items.getOrDefault(version.id(), List.of()), members,
        properties.coverage().rules());
  }

  /** 一品两规 check of every member formulary pointing to the version. */
  public List<TwoSpecCheck.InstitutionResult> twoSpecCheck(FormularyVersion version) {
    requireConsortium(version);
    Map<String, FormularyVersion> formularyByOwner = latestByOwner(formularies.membersOf(version.id()));
    Map<String, Institution> institutions = formularies.institutions(formularyByOwner.keySet());
    List<String> ids = new ArrayList<>();
    ids.add(version.id());
    formularyByOwner.values().forEach(f -> ids.add(f.id()));
    Map<String, List<FormularyEntry>> items = itemsByFormulary(ids);
    ProductMatcher consortium = new ProductMatcher(items.getOrDefault(version.id(), List.of()));
    TwoSpecCheck.Rules rules = properties.twoSpec().rules();
    List<TwoSpecCheck.InstitutionResult> results = new ArrayList<>();
    for (Map.Entry<String, FormularyVersion> e : formularyByOwner.entrySet()) {
      Institution institution = institutions.getOrDefault(e.getKey(),
          new Institution(e.getKey(), e.getValue().ownerDisplay(), "", null, "", null));
      results.add(TwoSpecCheck.check(institution, e.getValue(), items.getOrDefault(e.getValue().id(), List.of()),
          consortium, rules));
    }
    results.sort(Comparator.comparing((TwoSpecCheck.InstitutionResult r) -> r.institution().nhsaCode())
        .thenComparing(r -> r.institution().id()));
    return results;
  }

  /** One institution stocking a product in its member formulary. */
  public record Stocking(Institution institution, FormularyVersion formulary, FormularyEntry item) {}

  /**
   * Which member institutions stock the given products: in the member formularies of
   * {@code consortiumVersion} when given, else in each institution's latest member formulary.
   */
  public List<Stocking> whereStocked(Collection<String> medicationIds, FormularyVersion consortiumVersion) {
    if (medicationIds.isEmpty()) {
      return List.of();
    }
    List<FormularyVersion> candidates = consortiumVersion != null
        ? formularies.membersOf(consortiumVersion.id()) : formularies.memberFormularies();
    Map<String, FormularyVersion> byOwner = latestByOwner(candidates);
    Map<String, FormularyVersion> byId = byOwner.values().stream()
        .collect(Collectors.toMap(FormularyVersion::id, v -> v, (a, b) -> a, LinkedHashMap::new));
    List<FormularyEntry> entries = index.entriesOfMedications(medicationIds).stream()
        .filter(FormularyEntry::active).filter(e -> byId.containsKey(e.formularyId())).toList();
    Map<String, Institution> institutions = formularies.institutions(
        entries.stream().map(e -> byId.get(e.formularyId()).ownerId()).collect(Collectors.toSet()));
    List<Stocking> result = new ArrayList<>();
    for (FormularyEntry e : entries) {
      FormularyVersion f = byId.get(e.formularyId());
      Institution inst = institutions.getOrDefault(f.ownerId(),
          new Institution(String.valueOf(f.ownerId()), f.ownerDisplay(), "", null, "", null));
      result.add(new Stocking(inst, f, e));
    }
    result.sort(Comparator.comparing((Stocking s) -> s.institution().nhsaCode())
        .thenComparing(s -> s.item().label()));
    return result;
  }

  /** Medications whose 通用名 is exactly the given name (as the catalog writes it). */
  public List<String> medicationsNamed(String genericName) {
    return index.medicationsNamed(genericName.trim());
  }

  public List<Product> products(Collection<String> medicationIds) {
    return medicationIds.stream().map(index::product).flatMap(java.util.Optional::stream).toList();
  }

  private Map<String, List<FormularyEntry>> itemsByFormulary(Collection<String> formularyIds) {
    Map<String, List<FormularyEntry>> map = new HashMap<>();
    for (FormularyEntry e : index.entries(formularyIds)) {
      map.computeIfAbsent(e.formularyId(), k -> new ArrayList<>()).add(e);
    }
    return map;
  }

  /** An institution's member formulary: the one with the latest start if it has several. */
  private static Map<String, FormularyVersion> latestByOwner(List<FormularyVersion> versions) {
    Map<String, FormularyVersion> byOwner = new LinkedHashMap<>();
    Comparator<FormularyVersion> newer = Comparator.comparing(
        (FormularyVersion v) -> v.start() == null ? LocalDate.MIN : v.start()).thenComparing(FormularyVersion::id);
    for (FormularyVersion v : versions) {
      if (v.ownerId() == null) {
        continue;
      }
      byOwner.merge(v.ownerId(), v, (a, b) -> newer.compare(a, b) >= 0 ? a : b);
    }
    return byOwner;
  }

  private static void requireConsortium(FormularyVersion version) {
    if (version.kind() != FormularyKind.CONSORTIUM) {
      throw FormularyOutcomes.unprocessable("“" + version.label() + "”不是医联体目录版本：请对医联体目录版本执行本操作",
          version.reference() + " is not a consortium formulary version");
    }
  }
}
