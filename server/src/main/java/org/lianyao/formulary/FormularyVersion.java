package org.lianyao.formulary;

import java.time.LocalDate;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;

/**
 * A formulary version (one InsurancePlan), reduced to what the formulary services need.
 *
 * @param id logical id of the InsurancePlan
 * @param identifier its value in {@link IdentifierSystems#FORMULARY} ({@code YGT-2025}), or {@code null}
 * @param kind consortium or member; {@code null} when the plan declares neither
 * @param parentId for a member formulary: the consortium version it stays inside ({@code parent-formulary})
 * @param ownerId the owning Organization's logical id ({@code ownedBy})
 * @param ownerDisplay {@code ownedBy.display}, or empty
 * @param name the plan's name, or empty
 * @param start period start, or {@code null}
 * @param end period end, or {@code null}
 */
public record FormularyVersion(String id, String identifier, FormularyKind kind, String parentId,
    String ownerId, String ownerDisplay, String name, LocalDate start, LocalDate end) {

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  public static FormularyVersion of(InsurancePlan plan) {
    String identifier = plan.getIdentifier().stream()
        .filter(i -> IdentifierSystems.FORMULARY.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse(null);
    Extension parent = plan.getExtensionByUrl(Extensions.PARENT_FORMULARY);
    String parentId = parent != null && parent.getValue() instanceof Reference ref
        ? FormularyResources.idOf(ref, "InsurancePlan") : null;
    return new FormularyVersion(
        plan.getIdElement().getIdPart(),
        identifier,
        FormularyKind.of(plan).orElse(null),
        parentId,
        FormularyResources.idOf(plan.getOwnedBy(), "Organization"),
        plan.getOwnedBy().hasDisplay() ? plan.getOwnedBy().getDisplay() : "",
        plan.hasName() ? plan.getName() : "",
        date(plan.getPeriod().getStartElement()),
        date(plan.getPeriod().getEndElement()));
  }

  /** The calendar date as written (a dateTime's own offset, not the server's zone). */
  static LocalDate date(org.hl7.fhir.r4.model.DateTimeType value) {
    if (value == null || value.getValue() == null) {
      return null;
    }
    return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
  }

  public String reference() {
    return "InsurancePlan/" + id;
  }

  /** How people name it: the name, else the identifier, else the reference. */
  public String label() {
    if (!name.isEmpty()) {
      return name;
    }
    return identifier != null ? identifier : reference();
  }

  public Reference toReference() {
    return new Reference(reference()).setDisplay(label());
  }
}
