package org.lianyao.feed;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ConceptMap;
import org.lianyao.feed.hl7.ConceptMapCodeMapper;
import org.lianyao.feed.hl7.DrugCodeMapper;
import org.lianyao.fhir.AfterCommit;
import org.lianyao.fhir.GatewayInterceptor;

/**
 * Local drug code → NHSA drug code maps of the members, read from the ConceptMaps in the FHIR store
 * (installed from the terminology package, maintained there by the consortium), so that fixing a
 * mapping is a FHIR update and a replay picks it up. Each map is cached; a ConceptMap write clears
 * the cache after its transaction commits, and entries expire after a minute anyway (other nodes).
 */
public class FhirDrugCodeMaps implements GatewayInterceptor {

  /** Default map of an institution: {@code http://lianyao.org/fhir/ConceptMap/local-drug-{code}}. */
  public static String defaultUrl(String institution) {
    return "http://lianyao.org/fhir/ConceptMap/local-drug-" + institution;
  }

  private static final DrugCodeMapper NONE = (system, code) -> Optional.empty();

  private final DaoRegistry daoRegistry;
  private final Cache<String, DrugCodeMapper> maps =
      Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(1)).build();

  public FhirDrugCodeMaps(DaoRegistry daoRegistry) {
    this.daoRegistry = daoRegistry;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  /** A mapper that always consults the current version of the map with this canonical URL. */
  public DrugCodeMapper forUrl(String url) {
    return (system, code) -> maps.get(url, this::load).lookup(system, code);
  }

  private DrugCodeMapper load(String url) {
    SearchParameterMap params = SearchParameterMap.newSynchronous(ConceptMap.SP_URL, new UriParam(url));
    params.setSort(new SortSpec("_lastUpdated", SortOrderEnum.DESC));
    params.setCount(1);
    List<IBaseResource> found = daoRegistry.getResourceDao(ConceptMap.class)
        .search(params, new SystemRequestDetails()).getResources(0, 1);
    if (found.isEmpty()) {
      return NONE;
    }
    return DrugCodeMapper.from(new ConceptMapCodeMapper(List.of((ConceptMap) found.get(0))));
  }

  /** Forget every cached map (after a ConceptMap changed, and for replays). */
  public void invalidate() {
    maps.invalidateAll();
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    changed(resource);
  }

  private void changed(IBaseResource resource) {
    if (!"ConceptMap".equals(resource.fhirType())) {
      return;
    }
    AfterCommit.invalidate(this::invalidate);
  }
}
