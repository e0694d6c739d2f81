package org.lianyao.feed.catalog;

import java.util.Objects;
import org.hl7.fhir.r4.model.Coding;

/**
 * An immutable coded value found for a cell (HAPI's {@link Coding} is mutable, which does not suit
 * records that are shared between validator and converter).
 *
 * @param version code system version, or {@code null}
 */
public record CatalogCode(String system, String version, String code, String display) {

  public CatalogCode {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(code, "code");
  }

  public CatalogCode(String system, String code, String display) {
    this(system, null, code, display);
  }

  public Coding toCoding() {
    Coding coding = new Coding(system, code, display);
    if (version != null) {
      coding.setVersion(version);
    }
    return coding;
  }
}
