package org.lianyao.prescription.support;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.security.Caller;
import org.lianyao.security.fhir.InstitutionDirectory;
import org.lianyao.security.fhir.ResourceOwnership;
import org.lianyao.security.fhir.SharingPolicy;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Component;

/**
 * The consortium's institutions as the prescription services need them: the caller's Organization,
 * names and levels for display, "is this prescription another institution's?" and "may this
 * caller see it?" — the latter two exactly as the security package decides them
 * ({@link ResourceOwnership}, every {@link SharingPolicy} bean: one REFUSE wins, at least one ALLOW
 * needed), so that an operation never shows what a plain search would withhold. With security off
 * (benchmark baseline) requests carry no caller and everything is visible to them; the gateway's
 * own work still acts for an institution and follows the same rules.
 */
@Component
public class Institutions {

  /** An institution for display. */
  public record Info(String organizationId, String name, String nhsaCode, String levelCode, String levelDisplay) {
    public Reference reference() {
      return new Reference("Organization/" + organizationId).setDisplay(name);
    }

    public Optional<Coding> level() {
      return levelCode == null ? Optional.empty()
          : Optional.of(new Coding(CodeSystems.INSTITUTION_LEVEL, levelCode, levelDisplay));
    }
  }

  private final InstitutionDirectory directory;
  private final ResourceOwnership ownership;
  private final List<SharingPolicy> policies;
  private final SystemStore store;
  private final Cache<String, Optional<Info>> infos =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

  public Institutions(InstitutionDirectory directory, ResourceOwnership ownership, List<SharingPolicy> policies,
      SystemStore store) {
    this.directory = directory;
    this.ownership = ownership;
    this.policies = List.copyOf(policies);
    this.store = store;
  }

  /** Logical id of the Organization with this NHSA institution code. */
  public Optional<String> organizationId(String nhsaCode) {
    return directory.organizationId(nhsaCode);
  }

  public Optional<Info> byNhsaCode(String nhsaCode) {
    return organizationId(nhsaCode).flatMap(this::byId);
  }

  /** Name and level of {@code Organization/id} (cached for a minute). */
  public Optional<Info> byId(String organizationId) {
    if (organizationId == null) {
      return Optional.empty();
    }
    return infos.get(organizationId, id -> store.read(Organization.class, id).map(Institutions::info));
  }

  public Optional<Organization> organization(String organizationId) {
    return store.read(Organization.class, organizationId);
  }

  static Info info(Organization org) {
    String code = org.getIdentifier().stream()
        .filter(i -> IdentifierSystems.NHSA_INSTITUTION_CODE.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse(null);
    String level = null;
    String levelDisplay = null;
    for (CodeableConcept type : org.getType()) {
      for (Coding c : type.getCoding()) {
        if (CodeSystems.INSTITUTION_LEVEL.equals(c.getSystem())) {
          level = c.getCode();
          levelDisplay = c.getDisplay();
        }
      }
    }
    return new Info(org.getIdElement().getIdPart(), org.getName(), code, level, levelDisplay);
  }

  /** The caller's institution as ownership checks name it, if it is a registered member. */
  public Optional<ResourceOwnership.Institution> own(Caller caller) {
    if (caller == null || caller.institution() == null) {
      return Optional.empty();
    }
    return organizationId(caller.institution())
        .map(id -> new ResourceOwnership.Institution(caller.institution(), id));
  }

  /** Does the resource (prescription, dispense) belong to another institution than the caller's? */
  public boolean isForeign(IBaseResource resource, Caller caller) {
    return ownership.isForeign(resource, own(caller).orElse(null));
  }

  /** The owning Organization's logical id of a prescription or dispense, if given directly. */
  public Optional<String> ownerId(IBaseResource resource) {
    for (Reference r : ownership.ownerReferences(resource)) {
      if (r.getReferenceElement().hasIdPart() && "Organization".equals(r.getReferenceElement().getResourceType())) {
        return Optional.of(r.getReferenceElement().getIdPart());
      }
    }
    return Optional.empty();
  }

  /**
   * May the caller see another institution's patient-data resource? Without a caller (security
   * off, system work) yes.
   */
  public boolean mayShare(Caller caller, IBaseResource resource, RequestDetails request) {
    if (caller == null) {
      return true;
    }
    boolean allowed = false;
    for (SharingPolicy p : policies) {
      SharingPolicy.Decision d = p.decide(caller, resource, request);
      if (d == SharingPolicy.Decision.REFUSE) {
        return false;
      }
      allowed |= d == SharingPolicy.Decision.ALLOW;
    }
    return allowed || policies.isEmpty();
  }

  public InstitutionDirectory directory() {
    return directory;
  }
}
