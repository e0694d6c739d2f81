package org.lianyao.feed.hl7;

import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;

/**
 * Translates a code from one code system to another, like FHIR {@code ConceptMap/$translate}. The
 * converters use it for route (HL7 table 0162 → national CV06.00.102) and frequency (his-frequency →
 * national CV06.00.228). {@link ConceptMapCodeMapper} implements it over the bundled ConceptMaps;
 * the server may implement it over its terminology service. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface CodeMapper {

  /**
   * @param sourceSystem system of the code as sent
   * @param code the code as sent
   * @param targetSystem the wanted code system
   * @return the mapping, or empty when the map has none (or says {@code unmatched})
   */
  Optional<Mapping> translate(String sourceSystem, String code, String targetSystem);

  /**
   * One translation.
   *
   * @param target coding in the target system, with its display
   * @param equivalence ConceptMap equivalence ({@code equivalent}, {@code wider}, …); null when the
   *     map's {@code unmapped} rule produced the target
   * @param fromUnmappedRule true when the code is not listed and the group's fixed {@code unmapped}
   *     target was used (e.g. 9 其他用药途径)
   */
  record Mapping(Coding target, String equivalence, boolean fromUnmappedRule) {

    /** Same meaning in both systems ({@code equal} or {@code equivalent}). */
    public boolean isExact() {
      return "equivalent".equals(equivalence) || "equal".equals(equivalence);
    }
  }
}
