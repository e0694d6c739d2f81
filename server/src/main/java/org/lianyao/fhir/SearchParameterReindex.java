package org.lianyao.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Collection;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.SearchParameter;

/**
 * When a SearchParameter is created or changed, HAPI queues a background REINDEX job over every
 * resource of its base types. While the gateway installs its own parameters at start, that is only
 * needed where such resources are already stored: on a fresh database the FHIR package's parameters
 * queued one job each, and the jobs then re-indexed everything written in the following minutes (the
 * demo, the first clients' data), taking most of the CPU of a small machine. Resources written after
 * the installation are indexed as they are written (the installers refresh the search-parameter
 * registry first), so those jobs had nothing to add.
 */
public final class SearchParameterReindex {

  private final DaoRegistry daoRegistry;

  public SearchParameterReindex(DaoRegistry daoRegistry) {
    this.daoRegistry = daoRegistry;
  }

  /** Whether any resource of these types is stored; true for the all-types bases, to stay safe. */
  public boolean anyStored(Collection<String> types) {
    for (String type : types) {
      if ("Resource".equals(type) || "DomainResource".equals(type) || !daoRegistry.isResourceTypeSupported(type)) {
        return true;
      }
      SearchParameterMap map = SearchParameterMap.newSynchronous();
      map.setCount(1);
      if (!daoRegistry.getResourceDao(type).search(map, new SystemRequestDetails()).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Tells HAPI not to queue the reindex job of this write (HAPI's own request flag). */
  public static void skipReindex(RequestDetails request) {
    request.getUserData().put(JpaConstants.SKIP_REINDEX_ON_UPDATE, Boolean.TRUE);
  }

  /**
   * Runs {@code installation} (which writes SearchParameters through HAPI's DAOs, e.g. HAPI's
   * package installer) so that parameters whose base types hold no resources queue no reindex job.
   */
  public <T> T duringInstallation(IInterceptorService interceptors, Supplier<T> installation) {
    Object hook = new InstallationHook(this);
    interceptors.registerInterceptor(hook);
    try {
      return installation.get();
    } finally {
      interceptors.unregisterInterceptor(hook);
    }
  }

  /** The storage hooks (a public class: HAPI invokes hook methods reflectively). */
  public static final class InstallationHook {

    private final SearchParameterReindex reindex;

    InstallationHook(SearchParameterReindex reindex) {
      this.reindex = reindex;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
      reindex.mark(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
      reindex.mark(resource, request);
    }
  }

  private void mark(IBaseResource resource, RequestDetails request) {
    if (request != null && resource instanceof SearchParameter sp
        && !anyStored(sp.getBase().stream().map(CodeType::getCode).toList())) {
      skipReindex(request);
    }
  }
}
