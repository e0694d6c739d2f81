package org.lianyao.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs search parameters the gateway defines in code or classpath files, at start: each is
 * written (by its fixed id, in order) only when missing or different from the stored one, and HAPI's
 * search-parameter registry is refreshed once afterwards, so that resources written from then on are
 * indexed with them. A refresh reloads every parameter (~80 ms), so it runs between writes only
 * before a combo parameter, whose components must already be known to the registry. {@code resourcesStored = false} tells HAPI not to queue its background REINDEX job, which has
 * nothing to do on a database without resources of the parameter's base types
 * ({@link SearchParameterReindex}).
 */
public final class SearchParameterInstaller {

  private static final Logger log = LoggerFactory.getLogger(SearchParameterInstaller.class);

  private final DaoRegistry daoRegistry;
  private final ISearchParamRegistry searchParamRegistry;

  public SearchParameterInstaller(DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry) {
    this.daoRegistry = daoRegistry;
    this.searchParamRegistry = searchParamRegistry;
  }

  /** Installs {@code wanted}; returns how many were written. */
  public int install(List<SearchParameter> wanted, boolean resourcesStored) {
    IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
    int written = 0;
    boolean refreshDue = false;
    for (SearchParameter parameter : wanted) {
      if (!same(dao, parameter)) {
        if (refreshDue && !parameter.getComponent().isEmpty()) {
          // A combo parameter refers to the ones installed before it.
          searchParamRegistry.forceRefresh();
          refreshDue = false;
        }
        SystemRequestDetails request = new SystemRequestDetails();
        if (!resourcesStored) {
          SearchParameterReindex.skipReindex(request);
        }
        dao.update(parameter, request);
        refreshDue = true;
        written++;
        log.info("Installed search parameter {}", parameter.getUrl());
      }
    }
    if (refreshDue) {
      searchParamRegistry.forceRefresh();
    }
    return written;
  }

  private static boolean same(IFhirResourceDao<SearchParameter> dao, SearchParameter wanted) {
    try {
      SearchParameter stored = dao.read(wanted.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
      SearchParameter a = stored.copy();
      a.setMeta(null);
      a.setIdElement(null);
      a.setText(null);
      SearchParameter b = wanted.copy();
      b.setMeta(null);
      b.setIdElement(null);
      return a.equalsDeep(b);
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return false;
    }
  }
}
