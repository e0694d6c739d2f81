package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

class UnindexedSearchParametersTest {

  private final FhirContext ctx = FhirContext.forR4Cached();

  @Test
  void overrideRetiresTheBuiltInParameterUnderItsOwnUrl() {
    Map<String, List<SearchParameter>> byType = UnindexedSearchParameters.overrides(ctx,
        Map.of("AuditEvent", List.of("source", "entity-type"), "Provenance", List.of("location")));

    assertThat(byType).containsOnlyKeys("AuditEvent", "Provenance");
    assertThat(byType.get("Provenance")).extracting(SearchParameter::getUrl)
        .containsExactly("http://hl7.org/fhir/SearchParameter/Provenance-location");
    List<SearchParameter> sps = byType.get("AuditEvent");
    assertThat(sps).extracting(SearchParameter::getCode).containsExactly("entity-type", "source");
    SearchParameter entityType = sps.get(0);
    assertThat(entityType.getIdElement().getIdPart()).isEqualTo("lianyao-unindexed-auditevent-entity-type");
    assertThat(entityType.getUrl()).isEqualTo("http://hl7.org/fhir/SearchParameter/AuditEvent-entity-type");
    assertThat(entityType.getStatus()).isEqualTo(PublicationStatus.RETIRED);
    assertThat(entityType.getBase()).extracting(b -> b.getCode()).containsExactly("AuditEvent");
    assertThat(entityType.getType()).isEqualTo(SearchParamType.TOKEN);
    assertThat(entityType.getExpression()).isEqualTo("AuditEvent.entity.type");
    SearchParameter source = sps.get(1);
    assertThat(source.getType()).isEqualTo(SearchParamType.REFERENCE);
    assertThat(source.getTarget()).extracting(t -> t.getCode()).contains("Organization", "Device");
  }

  @Test
  void unknownParameterStopsTheStartWithItsName() {
    assertThatThrownBy(() -> UnindexedSearchParameters.overrides(ctx, Map.of("AuditEvent", List.of("entity-typo"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("entity-typo");
  }
}
