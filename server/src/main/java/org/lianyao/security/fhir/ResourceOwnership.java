package org.lianyao.security.fhir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Which institution a resource belongs to. An institution's HIS may write only what belongs to it:
 *
 * <ul>
 *   <li>MedicationRequest: the {@code prescribing-institution} extension, else the requester's
 *       organisation;
 *   <li>MedicationDispense: the {@code dispensing-institution} extension, else the performers'
 *       organisations;
 *   <li>SupplyRequest (缺药登记 shortage registration): the requester's organisation;
 *   <li>PractitionerRole: its organisation;
 *   <li>InsurancePlan (member formulary 成员单位目录): {@code ownedBy}, and it must be of kind
 *       {@code member};
 *   <li>Basic (formulary item): the formulary it references ({@code formulary-reference}).
 * </ul>
 *
 * An institution is referenced as {@code Organization/<id>}, by identifier
 * ({@code nhsa-institution-code|H50011200001}) or by a conditional reference with that identifier.
 * Anything else (placeholders, contained or external references) cannot be attributed and is
 * refused. Institution-scoped identifiers (prescription numbers …) must name the same institution.
 */
public class ResourceOwnership {

  /** Types whose instances belong to one institution. */
  public static final Set<String> OWNED_TYPES = Set.of("MedicationRequest", "MedicationDispense",
      "SupplyRequest", "PractitionerRole", "InsurancePlan", "Basic");

  /** Owned types that carry patient data: reading another institution's goes through sharing rules. */
  public static final Set<String> PATIENT_DATA_TYPES =
      Set.of("MedicationRequest", "MedicationDispense");

  /** The caller's institution as it may be referenced. */
  public record Institution(String nhsaCode, String organizationId) {}

  enum Match { YES, NO, UNKNOWN }

  private final InstitutionDirectory directory;

  public ResourceOwnership(InstitutionDirectory directory) {
    this.directory = directory;
  }

  /**
   * Checks that a resource written by the caller belongs to the caller's institution.
   *
   * @param requireMemberFormulary true for HIS writes: formularies must be member formularies
   * @return why not, or empty when it does
   */
  public Optional<Denial> checkOwnedBy(IBaseResource resource, Institution own, boolean requireMemberFormulary) {
    String type = resource.fhirType();
    List<Reference> owners = new ArrayList<>();
    List<Identifier> scopedIdentifiers = new ArrayList<>();
    String path;
    if (resource instanceof MedicationRequest mr) {
      path = "prescribing-institution";
      owners.addAll(extensionReferences(mr.getExtensionsByUrl(Extensions.PRESCRIBING_INSTITUTION)));
      if (owners.isEmpty() && mr.hasRequester()) {
        path = "requester";
        owners.add(mr.getRequester());
      }
      scopedIdentifiers.addAll(mr.getIdentifier());
    } else if (resource instanceof MedicationDispense md) {
      path = "dispensing-institution";
      owners.addAll(extensionReferences(md.getExtensionsByUrl(Extensions.DISPENSING_INSTITUTION)));
      if (owners.isEmpty()) {
        path = "performer.actor";
        md.getPerformer().forEach(p -> owners.add(p.getActor()));
      }
      scopedIdentifiers.addAll(md.getIdentifier());
    } else if (resource instanceof SupplyRequest sr) {
      path = "requester";
      if (sr.hasRequester()) {
        owners.add(sr.getRequester());
      }
      scopedIdentifiers.addAll(sr.getIdentifier());
    } else if (resource instanceof PractitionerRole pr) {
      path = "organization";
      if (pr.hasOrganization()) {
        owners.add(pr.getOrganization());
      }
    } else if (resource instanceof InsurancePlan plan) {
      path = "ownedBy";
      if (plan.hasOwnedBy()) {
        owners.add(plan.getOwnedBy());
      }
      if (requireMemberFormulary && !isMemberFormulary(plan)) {
        return Optional.of(new Denial(
            "成员单位只能维护本机构的成员单位目录：InsurancePlan 的目录类型必须是 member（医联体目录由药事委员会维护）",
            "members may only maintain their own member formulary: InsurancePlan.type must include "
                + CodeSystems.FORMULARY_KIND + "|member (the consortium formulary is the committee's)",
            "role:committee"));
      }
    } else if (resource instanceof Basic item) {
      path = "formulary-reference";
      List<Reference> formularies = extensionReferences(item.getExtensionsByUrl(Extensions.FORMULARY_REFERENCE));
      if (formularies.isEmpty()) {
        return Optional.of(unattributable(type, path, own));
      }
      for (Reference formularyRef : formularies) {
        Optional<IBaseResource> formulary = resolve(formularyRef, "InsurancePlan");
        if (formulary.isEmpty()) {
          return Optional.of(unattributable(type, path, own));
        }
        Optional<Denial> planCheck = checkOwnedBy(formulary.get(), own, requireMemberFormulary);
        if (planCheck.isPresent()) {
          return planCheck;
        }
      }
      return Optional.empty();
    } else {
      return Optional.empty();
    }
    if (owners.isEmpty()) {
      return Optional.of(unattributable(type, path, own));
    }
    for (Reference owner : owners) {
      Match m = match(owner, own, true);
      if (m == Match.NO) {
        return Optional.of(new Denial(
            "只能创建或修改本机构（" + own.nhsaCode() + "）的 " + type + "：" + path + " 指向其他机构",
            type + " must belong to the caller's institution " + own.nhsaCode() + " but its " + path
                + " references another institution",
            "own-institution:" + own.nhsaCode()));
      }
      if (m == Match.UNKNOWN) {
        return Optional.of(unattributable(type, path, own));
      }
    }
    return checkIdentifiers(type, scopedIdentifiers, own);
  }

  /**
   * For reads: is the resource one of another institution's? Cheap (no look-ups): only direct
   * Organization references are considered; anything unattributable counts as foreign.
   */
  public boolean isForeign(IBaseResource resource, Institution own) {
    List<Reference> owners = ownerReferences(resource);
    if (owners.isEmpty()) {
      return true;
    }
    for (Reference r : owners) {
      if (own != null && match(r, own, false) == Match.YES) {
        return false;
      }
    }
    return true;
  }

  /** The direct owner references of a patient-data resource (for reads and audit). */
  public List<Reference> ownerReferences(IBaseResource resource) {
    List<Reference> owners = new ArrayList<>();
    if (resource instanceof MedicationRequest mr) {
      owners.addAll(extensionReferences(mr.getExtensionsByUrl(Extensions.PRESCRIBING_INSTITUTION)));
      if (owners.isEmpty() && mr.hasRequester()) {
        owners.add(mr.getRequester());
      }
    } else if (resource instanceof MedicationDispense md) {
      owners.addAll(extensionReferences(md.getExtensionsByUrl(Extensions.DISPENSING_INSTITUTION)));
      if (owners.isEmpty()) {
        md.getPerformer().forEach(p -> owners.add(p.getActor()));
      }
    }
    return owners;
  }

  private Optional<Denial> checkIdentifiers(String type, List<Identifier> identifiers, Institution own) {
    for (Identifier identifier : identifiers) {
      Optional<String> scoped = IdentifierSystems.institutionCodeOf(identifier.getSystem());
      if (scoped.isPresent()) {
        String code = scoped.get();
        int slash = code.indexOf('/');
        if (slash >= 0) {
          code = code.substring(0, slash);
        }
        if (!code.equals(own.nhsaCode())) {
          return Optional.of(new Denial(
              "只能使用本机构（" + own.nhsaCode() + "）的标识符体系：" + type + ".identifier 的体系属于机构 " + code,
              type + ".identifier system " + identifier.getSystem() + " belongs to institution " + code
                  + ", not to the caller's " + own.nhsaCode(),
              "own-institution:" + own.nhsaCode()));
        }
      }
    }
    return Optional.empty();
  }

  private static Denial unattributable(String type, String path, Institution own) {
    return new Denial(
        "无法确定 " + type + " 的所属机构（" + path + "）：请以 Organization/{id} 或医保机构编码标识符引用本机构 "
            + own.nhsaCode(),
        "cannot attribute " + type + " to an institution: " + path + " must reference the caller's"
            + " institution " + own.nhsaCode() + " as Organization/{id} or by its NHSA code identifier",
        "own-institution:" + own.nhsaCode());
  }

  private static boolean isMemberFormulary(InsurancePlan plan) {
    for (CodeableConcept type : plan.getType()) {
      for (Coding c : type.getCoding()) {
        if (CodeSystems.FORMULARY_KIND.equals(c.getSystem()) && "member".equals(c.getCode())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Reference> extensionReferences(List<Extension> extensions) {
    List<Reference> refs = new ArrayList<>();
    for (Extension e : extensions) {
      if (e.getValue() instanceof Reference r) {
        refs.add(r);
      }
    }
    return refs;
  }

  Match match(Reference ref, Institution own, boolean resolveIndirect) {
    if (ref == null || ref.isEmpty()) {
      return Match.UNKNOWN;
    }
    if (ref.hasIdentifier() && IdentifierSystems.NHSA_INSTITUTION_CODE.equals(ref.getIdentifier().getSystem())
        && !ref.hasReference()) {
      return ref.getIdentifier().getValue() != null && ref.getIdentifier().getValue().equals(own.nhsaCode())
          ? Match.YES : Match.NO;
    }
    String raw = ref.getReference();
    if (raw == null || raw.isBlank()) {
      return Match.UNKNOWN;
    }
    if (raw.startsWith("Organization?")) {
      return matchConditional(raw, own);
    }
    IdType id = new IdType(raw);
    if (id.hasBaseUrl() || !id.hasIdPart() || !id.hasResourceType()) {
      return Match.UNKNOWN;
    }
    if ("Organization".equals(id.getResourceType())) {
      return id.getIdPart().equals(own.organizationId()) ? Match.YES : Match.NO;
    }
    if ("PractitionerRole".equals(id.getResourceType()) && resolveIndirect) {
      Optional<IBaseResource> role = directory.read(id.toUnqualifiedVersionless().getValue());
      if (role.isPresent() && role.get() instanceof PractitionerRole pr && pr.hasOrganization()) {
        return match(pr.getOrganization(), own, false);
      }
    }
    return Match.UNKNOWN;
  }

  private static Match matchConditional(String raw, Institution own) {
    String query = raw.substring("Organization?".length());
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      if (eq < 0 || !"identifier".equals(param.substring(0, eq))) {
        continue;
      }
      String value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      int bar = value.indexOf('|');
      if (bar > 0 && IdentifierSystems.NHSA_INSTITUTION_CODE.equals(value.substring(0, bar))) {
        return value.substring(bar + 1).equals(own.nhsaCode()) ? Match.YES : Match.NO;
      }
    }
    return Match.UNKNOWN;
  }

  private Optional<IBaseResource> resolve(Reference ref, String expectedType) {
    if (ref == null || !ref.hasReference()) {
      return Optional.empty();
    }
    IdType id = new IdType(ref.getReference());
    if (id.hasBaseUrl() || !expectedType.equals(id.getResourceType()) || !id.hasIdPart()) {
      return Optional.empty();
    }
    return directory.read(id.toUnqualifiedVersionless().getValue());
  }
}
