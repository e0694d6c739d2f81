package org.lianyao.feed.catalog;

import java.util.Objects;
import org.hl7.fhir.r4.model.IdType;

/**
 * The formulary (an InsurancePlan, one per catalog version) that imported items belong to.
 *
 * @param reference what the items' {@code formulary-reference} extension points to: a literal
 *     reference ({@code InsurancePlan/123}), a conditional reference resolved by the server inside
 *     the transaction ({@code InsurancePlan?identifier=system|value}), or the {@code urn:uuid:} fullUrl
 *     of an InsurancePlan entry the caller adds to the same transaction bundle
 * @param key the stable name of the formulary in formulary-item identifiers
 *     ({@code <key>|<product key>}, see {@link CatalogConverter#FORMULARY_ITEM_SYSTEM}); must stay the
 *     same for every import into this formulary, so use one factory consistently
 */
public record FormularyTarget(String reference, String key) {

  public FormularyTarget {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(key, "key");
    if (reference.isBlank() || key.isBlank()) {
      throw new IllegalArgumentException("formulary reference and key must not be blank");
    }
  }

  /**
   * A formulary stored on this server, by logical id ({@code 123}, {@code InsurancePlan/123} or a
   * versioned id; the version is dropped). The key is {@code InsurancePlan/123}.
   */
  public static FormularyTarget ofId(String id) {
    Objects.requireNonNull(id, "id");
    IdType idType = new IdType(id);
    if (idType.hasResourceType() && !"InsurancePlan".equals(idType.getResourceType())) {
      throw new IllegalArgumentException("formulary must be an InsurancePlan, got " + id);
    }
    if (!idType.hasIdPart()) {
      throw new IllegalArgumentException("formulary id has no logical id: " + id);
    }
    String reference = "InsurancePlan/" + idType.getIdPart();
    return new FormularyTarget(reference, reference);
  }

  /**
   * A formulary named by a business identifier, resolved by the server when the transaction runs.
   * The key is the identifier value, so the same catalog lands on the same items on any server.
   */
  public static FormularyTarget ofIdentifier(String system, String value) {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(value, "value");
    return new FormularyTarget(
        "InsurancePlan?identifier=" + CatalogConverter.searchToken(system, value), value);
  }

  /** Identifier value of this formulary's item for a product: {@code <key>|<product key>}. */
  public String formularyItemValue(ProductKey productKey) {
    return key + "|" + productKey.value();
  }
}
