package org.lianyao.shortage;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.stereotype.Service;

/**
 * Creates shortage registrations (缺药登记): when a member cannot continue a prescription because it
 * stocks neither the drug nor its generic name, the gateway registers the need with the supplier
 * (the lead hospital or the consortium), so that it is procured temporarily and counted for next
 * year's catalog ({@code $shortage-report}).
 *
 * <p>A registration is a SupplyRequest: status {@code active} + business status {@code registered},
 * {@code item} = the Medication (or the inline drug), {@code quantity}, {@code requester} = the
 * registering Organization, {@code deliverFrom} = the supplier, {@code deliverTo} = the registering
 * institution, {@code reasonCode} 延伸处方缺药, {@code occurrence} = needed now, and the prescription
 * that could not be continued in {@link #SOURCE_PRESCRIPTION}. Its identifier
 * ({@link #IDENTIFIER_BASE}{code}|rx-{prescription id}) makes a repeated request for the same
 * prescription return the registration still open instead of registering twice.
 */
@Service
public class ShortageRegistrations {

  public static final String IDENTIFIER_BASE = IdentifierSystems.CANONICAL_BASE + "/sid/shortage-registration/";
  public static final String SOURCE_PRESCRIPTION =
      IdentifierSystems.CANONICAL_BASE + "/StructureDefinition/shortage-source-prescription";
  public static final String REASON_SYSTEM = IdentifierSystems.CANONICAL_BASE + "/CodeSystem/shortage-reason";

  /**
   * What is short.
   *
   * @param requesterOrganizationId the registering institution's Organization id
   * @param requesterName its name
   * @param requesterNhsaCode its NHSA code
   * @param medication the Medication ({@code Medication/12} with display), or {@code null}
   * @param item the inline drug when there is no Medication
   * @param quantity how much is needed
   * @param sourcePrescription {@code MedicationRequest/34} that could not be continued, or {@code null}
   * @param reasonText why (Chinese)
   */
  public record NewRegistration(String requesterOrganizationId, String requesterName, String requesterNhsaCode,
      Reference medication, CodeableConcept item, Quantity quantity, String sourcePrescription, String reasonText) {}

  private final DaoRegistry daoRegistry;
  private final ShortageProperties properties;

  public ShortageRegistrations(DaoRegistry daoRegistry, ShortageProperties properties) {
    this.daoRegistry = daoRegistry;
    this.properties = properties;
  }

  /** Registers the shortage, or returns the registration still open for the same prescription. */
  public SupplyRequest register(NewRegistration r) {
    Identifier identifier = null;
    if (r.sourcePrescription() != null) {
      identifier = new Identifier().setSystem(IDENTIFIER_BASE + r.requesterNhsaCode())
          .setValue("rx-" + new IdType(r.sourcePrescription()).getIdPart());
      Optional<SupplyRequest> open = open(identifier);
      if (open.isPresent()) {
        return open.get();
      }
    }
    SupplyRequest sr = new SupplyRequest();
    if (identifier != null) {
      sr.addIdentifier(identifier);
    }
    ShortageStatus.REGISTERED.applyTo(sr);
    sr.setCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/supply-kind", "central",
        "Central Supply")).setText("缺药登记"));
    sr.setPriority(SupplyRequest.RequestPriority.ROUTINE);
    if (r.medication() != null) {
      sr.setItem(r.medication());
    } else {
      sr.setItem(r.item());
    }
    sr.setQuantity(r.quantity());
    Date now = new Date();
    sr.setOccurrence(new DateTimeType(now));
    sr.setAuthoredOn(now);
    Reference requester = new Reference("Organization/" + r.requesterOrganizationId()).setDisplay(r.requesterName());
    sr.setRequester(requester);
    sr.setDeliverTo(requester.copy());
    supplier(r.requesterOrganizationId()).ifPresent(s -> {
      sr.addSupplier(s.copy());
      sr.setDeliverFrom(s);
    });
    sr.addReasonCode(new CodeableConcept(new Coding(REASON_SYSTEM, "extension-not-stocked", "延伸处方缺药"))
        .setText(r.reasonText()));
    if (r.sourcePrescription() != null) {
      sr.addExtension(SOURCE_PRESCRIPTION, new Reference(r.sourcePrescription()));
    }
    return (SupplyRequest) daoRegistry.getResourceDao(SupplyRequest.class).create(sr, new SystemRequestDetails())
        .getResource();
  }

  private Optional<SupplyRequest> open(Identifier identifier) {
    SearchParameterMap map = SearchParameterMap.newSynchronous(SupplyRequest.SP_IDENTIFIER,
        new TokenParam(identifier.getSystem(), identifier.getValue()));
    IBundleProvider found = daoRegistry.getResourceDao(SupplyRequest.class).search(map, new SystemRequestDetails());
    for (IBaseResource res : found.getAllResources()) {
      SupplyRequest sr = (SupplyRequest) res;
      Optional<ShortageStatus> s = ShortageStatus.of(sr);
      if (s.isPresent() && (s.get() == ShortageStatus.REGISTERED || s.get() == ShortageStatus.ORDERED)) {
        return Optional.of(sr);
      }
    }
    return Optional.empty();
  }

  /**
   * Who procures for the registering institution: the configured supplier institution, else the
   * top of its {@code partOf} chain (the consortium).
   */
  Optional<Reference> supplier(String organizationId) {
    String configured = properties.supplierInstitution();
    if (configured != null && !configured.isBlank()) {
      SearchParameterMap map = SearchParameterMap.newSynchronous(Organization.SP_IDENTIFIER,
          new TokenParam(IdentifierSystems.NHSA_INSTITUTION_CODE, configured.strip()));
      List<IBaseResource> found = daoRegistry.getResourceDao(Organization.class).search(map, new SystemRequestDetails())
          .getAllResources();
      if (found.size() == 1) {
        Organization o = (Organization) found.get(0);
        return Optional.of(new Reference("Organization/" + o.getIdElement().getIdPart()).setDisplay(o.getName()));
      }
    }
    Organization current = read(organizationId);
    Set<String> seen = new HashSet<>();
    while (current != null && current.hasPartOf() && seen.add(current.getIdElement().getIdPart())) {
      Organization parent = read(current.getPartOf().getReferenceElement().getIdPart());
      if (parent == null) {
        break;
      }
      current = parent;
    }
    if (current == null || current.getIdElement().getIdPart().equals(organizationId)) {
      return Optional.empty();
    }
    return Optional.of(new Reference("Organization/" + current.getIdElement().getIdPart()).setDisplay(current.getName()));
  }

  private Organization read(String id) {
    if (id == null) {
      return null;
    }
    try {
      return daoRegistry.getResourceDao(Organization.class).read(new IdType("Organization", id), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return null;
    }
  }
}
