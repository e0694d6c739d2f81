package org.lianyao.prescription.stock;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Medication;
import org.lianyao.fhir.AfterCommit;
import org.lianyao.prescription.PrescriptionProperties;
import org.lianyao.prescription.drug.DrugResolver;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.StockStatus;
import org.lianyao.prescription.support.Institutions;
import org.lianyao.prescription.support.SystemStore;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.springframework.stereotype.Component;

/**
 * "Is drug X (or a product with the same generic name) in institution Y's member formulary?" — what
 * the shared view shows and what {@code $extend} needs. A member formulary (成员单位目录) is an
 * InsurancePlan of kind {@code member} owned by the institution; its items are Basic resources
 * ({@code formulary} search parameter) naming a Medication; items whose change type is
 * {@code remove} (调出) are not listed. The formulary in force is the one whose period covers today
 * (several: their union), else — with {@code formulary-fallback-to-latest} — the latest one that has
 * started.
 *
 * <p>Interim: this reads the FHIR resources with DAO searches and caches one snapshot per
 * institution ({@code formulary-cache-ttl}; formulary writes on this node clear it after commit).
 * The formulary package's index ({@code lianyao.formulary_item}) should answer this once it offers
 * a where-stocked service; then this class becomes a thin adapter.
 */
@Component
public class MemberFormularies {

  /** What one institution stocks. */
  record Snapshot(List<String> formularyIds, Map<String, StockAnswer.Product> byMedicationId,
      Map<String, StockAnswer.Product> byNationalCode, Map<String, List<StockAnswer.Product>> byGenericName) {}

  private final SystemStore store;
  private final Institutions institutions;
  private final PrescriptionProperties properties;
  private final Cache<String, Optional<Snapshot>> snapshots;

  public MemberFormularies(SystemStore store, Institutions institutions, PrescriptionProperties properties) {
    this.store = store;
    this.institutions = institutions;
    this.properties = properties;
    this.snapshots = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(properties.formularyCacheTtl()).build();
  }

  /** Does the institution (NHSA code) stock the drug? */
  public StockAnswer check(String nhsaCode, DrugFacts drug) {
    Optional<Snapshot> snapshot = nhsaCode == null ? Optional.empty() : snapshots.get(nhsaCode, this::load);
    if (snapshot.isEmpty()) {
      return new StockAnswer(StockStatus.NO_FORMULARY, List.of(), List.of());
    }
    Snapshot s = snapshot.get();
    if (drug.medicationId() != null && s.byMedicationId().containsKey(drug.medicationId())) {
      return new StockAnswer(StockStatus.STOCKED, List.of(s.byMedicationId().get(drug.medicationId())), s.formularyIds());
    }
    for (String code : drug.nationalCodes()) {
      StockAnswer.Product p = s.byNationalCode().get(code);
      if (p != null) {
        return new StockAnswer(StockStatus.STOCKED, List.of(p), s.formularyIds());
      }
    }
    List<StockAnswer.Product> generic = s.byGenericName().get(normalize(drug.genericName()));
    if (generic != null && !generic.isEmpty()) {
      return new StockAnswer(StockStatus.GENERIC_AVAILABLE, generic, s.formularyIds());
    }
    return new StockAnswer(StockStatus.NOT_STOCKED, List.of(), s.formularyIds());
  }

  /** Is this Medication listed (itself) in the institution's member formulary? */
  public Optional<StockAnswer.Product> listed(String nhsaCode, String medicationId) {
    return snapshots.get(nhsaCode, this::load).map(s -> s.byMedicationId().get(medicationId));
  }

  /** Forget cached formularies, after the running transaction commits (formulary writes). */
  public void invalidateAfterCommit() {
    AfterCommit.invalidate(snapshots::invalidateAll);
  }

  private Optional<Snapshot> load(String nhsaCode) {
    Optional<String> orgId = institutions.organizationId(nhsaCode);
    if (orgId.isEmpty()) {
      return Optional.empty();
    }
    List<InsurancePlan> plans = currentMemberFormularies(orgId.get());
    if (plans.isEmpty()) {
      return Optional.empty();
    }
    Map<String, StockAnswer.Product> byId = new LinkedHashMap<>();
    Map<String, StockAnswer.Product> byCode = new HashMap<>();
    Map<String, List<StockAnswer.Product>> byName = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (InsurancePlan plan : plans) {
      String planId = plan.getIdElement().getIdPart();
      ids.add(planId);
      SearchParameterMap map = new SearchParameterMap();
      map.add("formulary", new ReferenceParam("InsurancePlan/" + planId));
      map.addInclude(new Include("Basic:subject"));
      List<IBaseResource> found = store.search("Basic", map);
      Map<String, Medication> medications = new HashMap<>();
      for (IBaseResource r : found) {
        if (r instanceof Medication m) {
          medications.put(m.getIdElement().getIdPart(), m);
        }
      }
      for (IBaseResource r : found) {
        if (!(r instanceof Basic item) || removed(item) || !item.getSubject().getReferenceElement().hasIdPart()) {
          continue;
        }
        Medication m = medications.get(item.getSubject().getReferenceElement().getIdPart());
        if (m == null) {
          continue;
        }
        String generic = DrugResolver.genericName(m.getCode());
        StockAnswer.Product product = new StockAnswer.Product(m.getIdElement().getIdPart(), DrugResolver.label(m), generic);
        byId.putIfAbsent(product.medicationId(), product);
        for (Coding c : m.getCode().getCoding()) {
          if (org.lianyao.prescription.drug.LocalDrugTranslator.isNational(c)) {
            byCode.putIfAbsent(c.getSystem() + "|" + c.getCode(), product);
          }
        }
        if (!generic.isEmpty()) {
          List<StockAnswer.Product> same = byName.computeIfAbsent(normalize(generic), k -> new ArrayList<>());
          if (same.stream().noneMatch(p -> p.medicationId().equals(product.medicationId()))) {
            same.add(product);
          }
        }
      }
    }
    return Optional.of(new Snapshot(ids, byId, byCode, byName));
  }

  /** The institution's member formularies in force today (see class comment). */
  List<InsurancePlan> currentMemberFormularies(String organizationId) {
    SearchParameterMap map = new SearchParameterMap();
    map.add(InsurancePlan.SP_OWNED_BY, new ReferenceParam("Organization/" + organizationId));
    map.add(InsurancePlan.SP_TYPE, new TokenParam(CodeSystems.FORMULARY_KIND, CodeSystems.FormularyKind.MEMBER));
    map.add(InsurancePlan.SP_STATUS, new TokenParam("active"));
    List<InsurancePlan> plans = store.search(InsurancePlan.class, map);
    ZoneId zone = properties.zone();
    LocalDate today = LocalDate.now(zone);
    List<InsurancePlan> current = new ArrayList<>();
    for (InsurancePlan p : plans) {
      LocalDate start = p.getPeriod().hasStart() ? LocalDate.ofInstant(p.getPeriod().getStart().toInstant(), zone) : null;
      LocalDate end = p.getPeriod().hasEnd() ? LocalDate.ofInstant(p.getPeriod().getEnd().toInstant(), zone) : null;
      if ((start == null || !start.isAfter(today)) && (end == null || !end.isBefore(today))) {
        current.add(p);
      }
    }
    if (current.isEmpty() && properties.formularyFallbackToLatest()) {
      plans.stream()
          .filter(p -> p.getPeriod().hasStart() && !LocalDate.ofInstant(p.getPeriod().getStart().toInstant(), zone).isAfter(today))
          .max(Comparator.comparing(p -> p.getPeriod().getStart()))
          .ifPresent(current::add);
    }
    return current;
  }

  private static boolean removed(Basic item) {
    Extension change = item.getExtensionByUrl(Extensions.FORMULARY_CHANGE);
    if (change == null) {
      return false;
    }
    Extension type = change.getExtensionByUrl(Extensions.FORMULARY_CHANGE_TYPE);
    return type != null && type.getValue() instanceof Coding c
        && CodeSystems.FormularyChangeType.REMOVE.equals(c.getCode());
  }

  /** Generic names compare after NFKC and without whitespace (全角/半角, stray spaces). */
  static String normalize(String genericName) {
    if (genericName == null) {
      return "";
    }
    return Normalizer.normalize(genericName, Normalizer.Form.NFKC).replaceAll("\\s+", "");
  }

  /** Same 通用名 after normalisation. */
  public static boolean sameGeneric(String a, String b) {
    String na = normalize(a);
    return !na.isEmpty() && na.equals(normalize(b));
  }

  static boolean isMember(CodeableConcept type) {
    return type.getCoding().stream().anyMatch(c -> CodeSystems.FORMULARY_KIND.equals(c.getSystem())
        && CodeSystems.FormularyKind.MEMBER.equals(c.getCode()));
  }
}
