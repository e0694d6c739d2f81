package org.lianyao.formulary;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Organization;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Service;

/**
 * Formulary versions, member institutions and products read through HAPI's DAOs (never through REST,
 * so internal reads meet no per-caller rules). There are few InsurancePlans and Organizations — a
 * version per year and member — so they are searched with standard search parameters and filtered in
 * Java; items go through the {@link org.lianyao.formulary.index.FormularyIndex}.
 */
@Service
public class Formularies {

  private static final int PAGE = 500;

  private final DaoRegistry daos;
  private final FormularyTerminology terminology;

  public Formularies(DaoRegistry daos, FormularyTerminology terminology) {
    this.daos = daos;
    this.terminology = terminology;
  }

  // -------------------------------------------------------------------------------- versions

  public Optional<InsurancePlan> plan(String id) {
    return read(InsurancePlan.class, id);
  }

  public Optional<FormularyVersion> version(String id) {
    return plan(id).map(FormularyVersion::of);
  }

  public Optional<FormularyVersion> versionByIdentifier(String value) {
    SearchParameterMap map = SearchParameterMap.newSynchronous()
        .add(InsurancePlan.SP_IDENTIFIER, new TokenParam(IdentifierSystems.FORMULARY, value));
    List<InsurancePlan> found = search(InsurancePlan.class, map);
    return found.stream().findFirst().map(FormularyVersion::of);
  }

  /**
   * A version named by logical id ({@code 123}, {@code InsurancePlan/123}) or by its formulary
   * identifier ({@code YGT-2025}).
   *
   * @throws ResourceNotFoundException (404) when there is none, with a Chinese message
   */
  public FormularyVersion require(String idOrIdentifier) {
    if (idOrIdentifier == null || idOrIdentifier.isBlank()) {
      throw new ResourceNotFoundException(FormularyOutcomes.message("未指定目录版本",
          "no formulary version given"));
    }
    String value = idOrIdentifier.trim();
    if (value.startsWith(IdentifierSystems.FORMULARY + "|")) {
      value = value.substring(IdentifierSystems.FORMULARY.length() + 1);
      return versionByIdentifier(value).orElseThrow(notFound(idOrIdentifier));
    }
    IdType id = new IdType(value);
    if (!id.hasResourceType() || "InsurancePlan".equals(id.getResourceType())) {
      Optional<FormularyVersion> byId = id.isIdPartValid() ? version(id.getIdPart()) : Optional.empty();
      if (byId.isPresent()) {
        return byId.get();
      }
    }
    return versionByIdentifier(value).orElseThrow(notFound(idOrIdentifier));
  }

  private static java.util.function.Supplier<ResourceNotFoundException> notFound(String what) {
    return () -> {
      ResourceNotFoundException e = new ResourceNotFoundException("formulary version " + what + " not found");
      e.setOperationOutcome(FormularyOutcomes.outcome(org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND,
          "未找到目录版本“" + what + "”（可使用 InsurancePlan 的 id 或目录版本编号，如 YGT-2025）",
          "formulary version '" + what + "' not found (give an InsurancePlan id or a formulary identifier such as YGT-2025)"));
      return e;
    };
  }

  /** Member formularies whose parent-formulary is the given consortium version. */
  public List<FormularyVersion> membersOf(String consortiumVersionId) {
    return memberFormularies().stream().filter(v -> consortiumVersionId.equals(v.parentId())).toList();
  }

  /** Every member formulary of every year. */
  public List<FormularyVersion> memberFormularies() {
    SearchParameterMap map = SearchParameterMap.newSynchronous()
        .add(InsurancePlan.SP_TYPE, new TokenParam(CodeSystems.FORMULARY_KIND, FormularyKind.MEMBER.code()));
    return search(InsurancePlan.class, map).stream().map(FormularyVersion::of).toList();
  }

  // ---------------------------------------------------------------------------- institutions

  /** Organizations by logical id, as institutions; unknown ids are left out. */
  public Map<String, Institution> institutions(Collection<String> organizationIds) {
    Map<String, Institution> result = new LinkedHashMap<>();
    List<String> ids = organizationIds.stream().filter(java.util.Objects::nonNull).distinct().toList();
    for (int i = 0; i < ids.size(); i += PAGE) {
      TokenOrListParam or = new TokenOrListParam();
      ids.subList(i, Math.min(ids.size(), i + PAGE)).forEach(id -> or.addOr(new TokenParam(id)));
      SearchParameterMap map = SearchParameterMap.newSynchronous().add("_id", or);
      for (Organization org : search(Organization.class, map)) {
        result.put(org.getIdElement().getIdPart(), institution(org));
      }
    }
    return result;
  }

  /**
   * The consortium's members: every Organization below {@code consortiumOrganizationId} through
   * {@code partOf} (a village clinic is part of its township centre, which is part of the
   * consortium), a few levels deep.
   */
  public List<Institution> membersOfConsortium(String consortiumOrganizationId) {
    Map<String, Institution> members = new LinkedHashMap<>();
    Set<String> frontier = new LinkedHashSet<>(List.of(consortiumOrganizationId));
    for (int depth = 0; depth < 5 && !frontier.isEmpty(); depth++) {
      Set<String> next = new LinkedHashSet<>();
      List<String> parents = new ArrayList<>(frontier);
      for (int i = 0; i < parents.size(); i += PAGE) {
        ca.uhn.fhir.rest.param.ReferenceOrListParam or = new ca.uhn.fhir.rest.param.ReferenceOrListParam();
        parents.subList(i, Math.min(parents.size(), i + PAGE))
            .forEach(p -> or.addOr(new ReferenceParam("Organization/" + p)));
        SearchParameterMap map = SearchParameterMap.newSynchronous().add(Organization.SP_PARTOF, or);
        for (Organization org : search(Organization.class, map)) {
          String id = org.getIdElement().getIdPart();
          if (!members.containsKey(id) && !id.equals(consortiumOrganizationId)) {
            members.put(id, institution(org));
            next.add(id);
          }
        }
      }
      frontier = next;
    }
    return List.copyOf(members.values());
  }

  Institution institution(Organization org) {
    String code = org.getIdentifier().stream()
        .filter(i -> IdentifierSystems.NHSA_INSTITUTION_CODE.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse("");
    String level = org.getType().stream().flatMap(t -> t.getCoding().stream())
        .filter(c -> CodeSystems.INSTITUTION_LEVEL.equals(c.getSystem()))
        .map(Coding::getCode).findFirst().orElse(null);
    return new Institution(org.getIdElement().getIdPart(), org.hasName() ? org.getName() : "", code, level,
        terminology.institutionLevel(level), terminology.grassroots(level).orElse(null));
  }

  // ------------------------------------------------------------------------------- resources

  public Optional<Medication> medication(String id) {
    return read(Medication.class, id);
  }

  /** Formulary items by logical id (in pages). */
  public List<Basic> basics(Collection<String> ids) {
    List<Basic> result = new ArrayList<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += PAGE) {
      TokenOrListParam or = new TokenOrListParam();
      all.subList(i, Math.min(all.size(), i + PAGE)).forEach(id -> or.addOr(new TokenParam(id)));
      result.addAll(search(Basic.class, SearchParameterMap.newSynchronous().add("_id", or)));
    }
    return result;
  }

  public <T extends IBaseResource> Optional<T> read(Class<T> type, String id) {
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(daos.getResourceDao(type).read(new IdType(type.getSimpleName(), id), new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  public <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    IBundleProvider result = dao.search(map, new SystemRequestDetails());
    List<T> resources = new ArrayList<>();
    for (IBaseResource r : result.getAllResources()) {
      resources.add((T) r);
    }
    return resources;
  }
}
