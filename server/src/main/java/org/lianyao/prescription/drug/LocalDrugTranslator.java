package org.lianyao.prescription.drug;

import ca.uhn.fhir.context.support.TranslateConceptResult;
import ca.uhn.fhir.context.support.TranslateConceptResults;
import ca.uhn.fhir.jpa.api.model.TranslationRequest;
import ca.uhn.fhir.jpa.term.api.ITermConceptClientMappingSvc;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Maps a member's local HIS drug code ({@code http://lianyao.org/fhir/CodeSystem/local-drug/{NHSA
 * institution code}}) to the 医保药品编码 through that institution's ConceptMap
 * ({@code http://lianyao.org/fhir/ConceptMap/local-drug-{code}}), using HAPI's terminology service
 * (the engine behind {@code $translate}). Only {@code equivalent}, {@code equal}, {@code wider} and
 * {@code subsumes} targets count; {@code unmatched} and {@code disjoint} entries mean "no match".
 * Answers are cached briefly; ConceptMap writes clear the cache ({@link #invalidate()}).
 */
@Component
public class LocalDrugTranslator {

  private static final Logger log = LoggerFactory.getLogger(LocalDrugTranslator.class);
  private static final Set<String> ACCEPTED = Set.of("equivalent", "equal", "wider", "subsumes", "relatedto");

  private final ITermConceptClientMappingSvc mappings;
  private final Cache<String, Optional<Coding>> cache =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  public LocalDrugTranslator(ITermConceptClientMappingSvc mappings) {
    this.mappings = mappings;
  }

  public static boolean isLocal(Coding coding) {
    return coding.getSystem() != null && coding.getSystem().startsWith(CodeSystems.LOCAL_DRUG_BASE)
        && coding.hasCode();
  }

  public static boolean isNational(Coding coding) {
    return (IdentifierSystems.NHSA_DRUG_CODE.equals(coding.getSystem())
        || IdentifierSystems.NMPA_STANDARD_CODE.equals(coding.getSystem())) && coding.hasCode();
  }

  /** The NHSA drug code the posting institution's ConceptMap gives for a local code. */
  public Optional<Coding> toNational(Coding local) {
    if (!isLocal(local)) {
      return Optional.empty();
    }
    String key = local.getSystem() + "|" + local.getCode();
    return cache.get(key, k -> lookUp(local));
  }

  /**
   * National codings (NHSA from the ConceptMap) for the local codings of a concept that has no
   * national coding yet; empty when it has one, or when nothing maps.
   */
  public List<Coding> missingNationalCodings(CodeableConcept concept) {
    List<Coding> found = new ArrayList<>();
    if (concept == null || concept.getCoding().stream().anyMatch(LocalDrugTranslator::isNational)) {
      return found;
    }
    for (Coding c : concept.getCoding()) {
      toNational(c).ifPresent(n -> {
        if (found.stream().noneMatch(f -> f.getCode().equals(n.getCode()))) {
          found.add(n);
        }
      });
    }
    return found;
  }

  public void invalidate() {
    cache.invalidateAll();
  }

  private Optional<Coding> lookUp(Coding local) {
    String institution = local.getSystem().substring(CodeSystems.LOCAL_DRUG_BASE.length());
    TranslationRequest request = new TranslationRequest();
    request.setCodeableConcept(new CodeableConcept(new Coding(local.getSystem(), local.getCode(), null)));
    request.setUrl(CodeSystems.localDrugConceptMap(institution));
    request.setTargetSystem(IdentifierSystems.NHSA_DRUG_CODE);
    try {
      TranslateConceptResults results = mappings.translate(request);
      for (TranslateConceptResult r : results.getResults()) {
        if (r.getCode() != null && !r.getCode().isBlank()
            && (r.getEquivalence() == null || ACCEPTED.contains(r.getEquivalence()))) {
          return Optional.of(new Coding(IdentifierSystems.NHSA_DRUG_CODE, r.getCode(), r.getDisplay()));
        }
      }
    } catch (RuntimeException e) {
      // A missing or broken ConceptMap means "unmatched", never a failed write.
      log.debug("Local drug code {} of {} not translated: {}", local.getCode(), institution, e.toString());
    }
    return Optional.empty();
  }
}
