package org.lianyao.feed.hl7;

import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.lianyao.terminology.IdentifierSystems;

/**
 * A member institution's local HIS drug code → 国家医保药品分类与代码 (NHSA drug code). Each
 * institution's map is a ConceptMap ({@code http://lianyao.org/fhir/ConceptMap/local-drug-{code}})
 * whose source is the institution's local-drug code system. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface DrugCodeMapper {

  /**
   * @param localSystem {@code http://lianyao.org/fhir/CodeSystem/local-drug/{NHSA institution code}}
   * @param localCode the HIS drug code (RXE-2.1, RXD-2.1)
   * @return a coding in the NHSA drug code system with its display, or empty when unmatched
   */
  Optional<Coding> lookup(String localSystem, String localCode);

  /** Drug lookups through a general code mapper (targets in the NHSA drug code system only). */
  static DrugCodeMapper from(CodeMapper mapper) {
    return (system, code) -> mapper.translate(system, code, IdentifierSystems.NHSA_DRUG_CODE)
        .filter(mapping -> !mapping.fromUnmappedRule())
        .map(CodeMapper.Mapping::target);
  }
}
