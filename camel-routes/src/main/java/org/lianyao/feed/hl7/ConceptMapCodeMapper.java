package org.lianyao.feed.hl7;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupUnmappedMode;
import org.hl7.fhir.r4.model.ConceptMap.OtherElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

/**
 * {@link CodeMapper} over FHIR R4 ConceptMaps, indexed once at construction; lookups are two hash
 * probes and return copies, so one instance serves all threads.
 *
 * <p>Semantics follow {@code $translate}: the first target whose equivalence is not
 * {@code unmatched} or {@code disjoint} wins; targets with a {@code dependsOn} condition are
 * skipped (the converters have no dependency values to offer); a code the group does not list gets
 * the group's fixed {@code unmapped} target, flagged as such. A code listed as {@code unmatched}
 * does not fall through to the unmapped rule. Codes match exactly, then case-insensitively (HIS
 * send {@code po} as often as {@code PO}).
 */
public final class ConceptMapCodeMapper implements CodeMapper {

  private record Key(String source, String target) {}

  private static final class Group {
    final Map<String, Optional<Mapping>> exact = new HashMap<>();
    final Map<String, Optional<Mapping>> folded = new HashMap<>();
    Mapping unmapped;
  }

  private final Map<Key, Group> groups = new HashMap<>();

  public ConceptMapCodeMapper(Collection<ConceptMap> conceptMaps) {
    for (ConceptMap map : conceptMaps) {
      for (ConceptMapGroupComponent group : map.getGroup()) {
        if (!group.hasSource() || !group.hasTarget()) {
          continue;
        }
        Group index = groups.computeIfAbsent(new Key(group.getSource(), group.getTarget()), key -> new Group());
        for (SourceElementComponent element : group.getElement()) {
          Optional<Mapping> mapping = firstUsableTarget(group.getTarget(), element);
          index.exact.putIfAbsent(element.getCode(), mapping);
          index.folded.putIfAbsent(element.getCode().toUpperCase(Locale.ROOT), mapping);
        }
        if (group.hasUnmapped() && group.getUnmapped().getMode() == ConceptMapGroupUnmappedMode.FIXED
            && index.unmapped == null) {
          index.unmapped = new Mapping(new Coding(group.getTarget(), group.getUnmapped().getCode(),
              group.getUnmapped().getDisplay()), null, true);
        }
      }
    }
  }

  private static Optional<Mapping> firstUsableTarget(String targetSystem, SourceElementComponent element) {
    for (TargetElementComponent target : element.getTarget()) {
      ConceptMapEquivalence equivalence = target.getEquivalence();
      boolean conditional = false;
      for (OtherElementComponent dependsOn : target.getDependsOn()) {
        conditional |= dependsOn.hasProperty();
      }
      if (!target.hasCode() || conditional || equivalence == ConceptMapEquivalence.UNMATCHED
          || equivalence == ConceptMapEquivalence.DISJOINT) {
        continue;
      }
      return Optional.of(new Mapping(new Coding(targetSystem, target.getCode(), target.getDisplay()),
          equivalence == null ? null : equivalence.toCode(), false));
    }
    return Optional.empty();
  }

  @Override
  public Optional<Mapping> translate(String sourceSystem, String code, String targetSystem) {
    if (sourceSystem == null || code == null || targetSystem == null) {
      return Optional.empty();
    }
    Group group = groups.get(new Key(sourceSystem, targetSystem));
    if (group == null) {
      return Optional.empty();
    }
    Optional<Mapping> listed = group.exact.get(code);
    if (listed == null) {
      listed = group.folded.get(code.toUpperCase(Locale.ROOT));
    }
    if (listed != null) {
      return listed.map(ConceptMapCodeMapper::copy);
    }
    return Optional.ofNullable(group.unmapped).map(ConceptMapCodeMapper::copy);
  }

  private static Mapping copy(Mapping mapping) {
    return new Mapping(mapping.target().copy(), mapping.equivalence(), mapping.fromUnmappedRule());
  }
}
