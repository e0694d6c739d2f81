package org.lianyao.prescription.support;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * HAPI's DAOs used by the gateway itself ({@link SystemRequestDetails}: no caller, so neither the
 * authorization nor the consent interceptor filters what the services read). Services apply the
 * caller's rights themselves before they return anything.
 */
@Component
public class SystemStore {

  /** Synchronous searches stop here: services never need more in one go. */
  public static final int MAX_RESULTS = 10_000;

  private final DaoRegistry daoRegistry;

  public SystemStore(DaoRegistry daoRegistry) {
    this.daoRegistry = daoRegistry;
  }

  @SuppressWarnings("unchecked")
  private <T extends IBaseResource> IFhirResourceDao<T> dao(String type) {
    return (IFhirResourceDao<T>) daoRegistry.getResourceDao(type);
  }

  /** Reads {@code Type/id}; empty when absent or deleted. */
  public <T extends IBaseResource> Optional<T> read(Class<T> type, String id) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    String typeName = daoRegistry.getFhirContext().getResourceType(type);
    IdType idType = new IdType(id).toUnqualifiedVersionless();
    if (idType.hasResourceType() && !typeName.equals(idType.getResourceType())) {
      return Optional.empty();
    }
    try {
      return Optional.of(type.cast(dao(typeName).read(new IdType(typeName, idType.getIdPart()), new SystemRequestDetails())));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  /** Every match (and {@code _include}d resource) of a synchronous search, at most {@link #MAX_RESULTS}. */
  public List<IBaseResource> search(String type, SearchParameterMap map) {
    map.setLoadSynchronous(true);
    if (map.getCount() == null) {
      map.setCount(MAX_RESULTS);
    }
    map.setLoadSynchronousUpTo(Math.min(map.getCount(), MAX_RESULTS));
    IBundleProvider result = dao(type).search(map, new SystemRequestDetails());
    List<IBaseResource> all = result.getAllResources();
    return all == null ? List.of() : new ArrayList<>(all);
  }

  public <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
    String typeName = daoRegistry.getFhirContext().getResourceType(type);
    List<T> typed = new ArrayList<>();
    for (IBaseResource r : search(typeName, map)) {
      if (type.isInstance(r)) {
        typed.add(type.cast(r));
      }
    }
    return typed;
  }

  public DaoMethodOutcome create(IBaseResource resource) {
    return dao(resource.fhirType()).create(resource, new SystemRequestDetails());
  }

  /** Conditional create: the existing match when {@code ifNoneExist} finds one. */
  public DaoMethodOutcome create(IBaseResource resource, String ifNoneExist) {
    return dao(resource.fhirType()).create(resource, ifNoneExist, new SystemRequestDetails());
  }

  public DaoMethodOutcome update(IBaseResource resource) {
    return dao(resource.fhirType()).update(resource, new SystemRequestDetails());
  }
}
