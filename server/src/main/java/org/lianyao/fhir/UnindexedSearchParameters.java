package org.lianyao.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Built-in FHIR search parameters the gateway does not index ({@code lianyao.fhir.unindexed-search-parameters}),
 * switched off the way HAPI documents: a SearchParameter with the built-in one's URL, base and code and
 * status {@code retired}. HAPI then neither extracts nor stores index rows for it, and a search by it is
 * answered 400 (unknown parameter) instead of an empty result.
 *
 * <p>Why: AuditEvent is the fastest-growing table (one event per cross-institution read) and is written
 * on the request path's heels; of its ~25 built-in parameters an auditor uses a few (patient, entity,
 * agent, altid, date, type, subtype, outcome, action). Each AuditEvent lists every prescription a
 * search returned, so {@code entity-type} and {@code entity-role} alone added two token rows per
 * prescription to every event.
 *
 * <p>Removing a code from the setting deletes its override at the next start; HAPI then queues a
 * re-index of that resource type so the parameter covers older resources again.
 */
@Component
@Order(6)
public class UnindexedSearchParameters implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(UnindexedSearchParameters.class);

  /** Id prefix of the overriding SearchParameters this runner owns. */
  static final String ID_PREFIX = "lianyao-unindexed-";

  private final DaoRegistry daoRegistry;
  private final ISearchParamRegistry searchParamRegistry;
  private final FhirContext fhirContext;
  private final FhirServerProperties properties;
  private final JdbcTemplate jdbc;

  public UnindexedSearchParameters(DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry,
      FhirContext fhirContext, FhirServerProperties properties, DataSource dataSource) {
    this.daoRegistry = daoRegistry;
    this.searchParamRegistry = searchParamRegistry;
    this.fhirContext = fhirContext;
    this.properties = properties;
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @Override
  public void run(ApplicationArguments args) {
    Map<String, List<SearchParameter>> wanted = overrides(fhirContext, properties.unindexedSearchParameters());
    SearchParameterInstaller installer = new SearchParameterInstaller(daoRegistry, searchParamRegistry);
    wanted.forEach((type, parameters) -> installer.install(parameters, resourcesStored(type)));
    removeStale(wanted.values().stream().flatMap(List::stream)
        .map(sp -> sp.getIdElement().getIdPart()).collect(Collectors.toSet()));
  }

  /**
   * The retired overrides for {@code unindexed} (resource type → built-in parameter codes), by resource
   * type, both in name order.
   */
  static Map<String, List<SearchParameter>> overrides(FhirContext fhirContext, Map<String, List<String>> unindexed) {
    Map<String, List<SearchParameter>> result = new TreeMap<>();
    new TreeMap<>(unindexed).forEach((type, codes) -> {
      RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
      List<SearchParameter> ofType = result.computeIfAbsent(type, t -> new ArrayList<>());
      for (String code : new TreeSet<>(codes)) {
        RuntimeSearchParam builtIn = definition.getSearchParam(code);
        if (builtIn == null || builtIn.getUri() == null || !builtIn.getUri().startsWith("http://hl7.org/fhir/")) {
          throw new IllegalStateException("lianyao.fhir.unindexed-search-parameters." + type + ": " + code
              + " is not a built-in FHIR search parameter of " + type);
        }
        SearchParameter sp = new SearchParameter();
        sp.setId("SearchParameter/" + ID_PREFIX + (type + "-" + code).toLowerCase(Locale.ROOT));
        sp.setUrl(builtIn.getUri());
        sp.setName(code);
        sp.setStatus(PublicationStatus.RETIRED);
        sp.setDescription("本网关不索引此检索参数 / built-in search parameter not indexed by this gateway");
        sp.setCode(code);
        sp.addBase(type);
        sp.setType(SearchParamType.fromCode(builtIn.getParamType().getCode()));
        sp.setExpression(builtIn.getPath());
        builtIn.getTargets().stream().sorted().forEach(sp::addTarget);
        ofType.add(sp);
      }
    });
    return result;
  }

  private void removeStale(Set<String> wantedIds) {
    IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
    SearchParameterMap retired = SearchParameterMap.newSynchronous("status", new TokenParam("retired"));
    boolean deleted = false;
    for (IBaseResource found : dao.search(retired, new SystemRequestDetails()).getAllResources()) {
      String id = found.getIdElement().getIdPart();
      if (id.startsWith(ID_PREFIX) && !wantedIds.contains(id)) {
        // HAPI marks the resource type for re-indexing, so the parameter covers what was stored meanwhile.
        dao.delete(found.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
        deleted = true;
        log.info("Search parameter {} indexed again", ((SearchParameter) found).getUrl());
      }
    }
    if (deleted) {
      searchParamRegistry.forceRefresh();
    }
  }

  private boolean resourcesStored(String type) {
    return Boolean.TRUE.equals(jdbc.queryForObject(
        "select exists(select 1 from HFJ_RESOURCE where RES_TYPE = ?)", Boolean.class, type));
  }
}
