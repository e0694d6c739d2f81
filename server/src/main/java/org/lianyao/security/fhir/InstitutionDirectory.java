package org.lianyao.security.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Finds the Organization of an institution (by its NHSA code) and other reference targets that
 * ownership checks need, as the system and with short-lived caches: these answers change rarely,
 * and the checks run on every write.
 */
public class InstitutionDirectory {

  /** Cached answers live this long: a newly registered institution is found within a minute. */
  private static final Duration TTL = Duration.ofMinutes(1);

  private final DaoRegistry daoRegistry;
  private final Cache<String, Optional<String>> organizationIdByCode =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();
  private final Cache<String, Optional<IBaseResource>> resources =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

  public InstitutionDirectory(DaoRegistry daoRegistry) {
    this.daoRegistry = daoRegistry;
  }

  /**
   * The logical id (id part) of the Organization carrying identifier
   * {@code http://lianyao.org/fhir/sid/nhsa-institution-code|<code>}, if one is registered.
   */
  public Optional<String> organizationId(String nhsaCode) {
    if (nhsaCode == null || nhsaCode.isBlank()) {
      return Optional.empty();
    }
    return organizationIdByCode.get(nhsaCode, this::lookUpOrganization);
  }

  /** True if the institution is a registered consortium member. */
  public boolean isMember(String nhsaCode) {
    return organizationId(nhsaCode).isPresent();
  }

  private Optional<String> lookUpOrganization(String nhsaCode) {
    IFhirResourceDao<Organization> dao = daoRegistry.getResourceDao(Organization.class);
    SearchParameterMap map = SearchParameterMap.newSynchronous(Organization.SP_IDENTIFIER,
        new TokenParam(IdentifierSystems.NHSA_INSTITUTION_CODE, nhsaCode));
    map.setCount(2);
    IBundleProvider result = dao.search(map, new SystemRequestDetails());
    List<IBaseResource> found = result.getResources(0, 2);
    if (found.size() != 1) {
      // None, or an ambiguous registry: either way nothing may be written in its name.
      return Optional.empty();
    }
    return Optional.of(found.get(0).getIdElement().getIdPart());
  }

  /** Reads a resource (e.g. {@code InsurancePlan/12}) as the system; empty if absent or deleted. */
  public Optional<IBaseResource> read(String typeAndId) {
    return resources.get(typeAndId, key -> {
      IdType id = new IdType(key).toUnqualifiedVersionless();
      if (!id.hasResourceType() || !id.hasIdPart() || !daoRegistry.isResourceTypeSupported(id.getResourceType())) {
        return Optional.empty();
      }
      try {
        return Optional.of(daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails()));
      } catch (ResourceNotFoundException | ResourceGoneException e) {
        return Optional.empty();
      }
    });
  }

  /** Forget cached answers (tests, and after an institution is registered). */
  public void invalidate() {
    organizationIdByCode.invalidateAll();
    resources.invalidateAll();
  }
}
