package org.lianyao.terminology;

import java.math.BigDecimal;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;

/**
 * Frequency code → FHIR Timing, from the Timing properties of the national frequency table
 * (CV06.00.228) and of his-frequency. Converters use it to fill Dosage.timing; pre-review uses
 * {@link FrequencyTiming#dosesPerDay()} to compute days supply. Keeping the meaning in the code
 * tables (not in a switch statement) lets a county add a local abbreviation without a release.
 */
public final class FrequencyTimings {

  private final TerminologyResources resources;

  public FrequencyTimings(TerminologyResources resources) {
    this.resources = resources;
  }

  /**
   * The Timing meaning of a frequency code; empty if the code is unknown or the system is not a
   * bundled frequency table. his-frequency is case-insensitive ({@code TID} = {@code tid}).
   */
  public Optional<FrequencyTiming> lookup(String system, String code) {
    if (!CodeSystems.FREQUENCY.equals(system) && !CodeSystems.HIS_FREQUENCY.equals(system)) {
      return Optional.empty();
    }
    ConceptDefinitionComponent concept = resources.rawConcept(system, code == null ? null : code.strip());
    if (concept == null) {
      return Optional.empty();
    }
    return Optional.of(new FrequencyTiming(
        system,
        concept.getCode(),
        concept.getDisplay(),
        property(concept, CodeSystems.PROPERTY_FREQUENCY, IntegerType.class).map(IntegerType::getValue).orElse(null),
        property(concept, CodeSystems.PROPERTY_PERIOD, DecimalType.class).map(DecimalType::getValue).orElse(null),
        property(concept, CodeSystems.PROPERTY_PERIOD_UNIT, CodeType.class).map(CodeType::getValue).orElse(null),
        property(concept, CodeSystems.PROPERTY_WHEN, CodeType.class).map(CodeType::getValue).orElse(null),
        property(concept, CodeSystems.PROPERTY_COUNT, IntegerType.class).map(IntegerType::getValue).orElse(null),
        property(concept, CodeSystems.PROPERTY_AS_NEEDED, BooleanType.class).map(BooleanType::booleanValue).orElse(false)));
  }

  /** Convenience: administrations per day, empty when the code defines no repeating rate. */
  public Optional<BigDecimal> dosesPerDay(String system, String code) {
    return lookup(system, code).flatMap(FrequencyTiming::dosesPerDay);
  }

  private static <T> Optional<T> property(ConceptDefinitionComponent concept, String name, Class<T> type) {
    for (ConceptPropertyComponent property : concept.getProperty()) {
      if (name.equals(property.getCode())) {
        if (!type.isInstance(property.getValue())) {
          throw new IllegalStateException("property " + name + " of frequency code " + concept.getCode()
              + " must be " + type.getSimpleName() + ", is " + property.getValue().fhirType());
        }
        return Optional.of(type.cast(property.getValue()));
      }
    }
    return Optional.empty();
  }
}
