package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each SearchParameter's expression, evaluated with HAPI's FHIRPath engine (what the JPA server
 * indexes with), finds values of the declared kind in the examples — so a typo in an extension URL
 * cannot leave a parameter that silently matches nothing.
 */
class SearchParametersTest {

  private static final List<IBaseResource> EXAMPLES = LianyaoPackage.get().examples(Conformance.FHIR);
  private static final IFhirPath FHIRPATH = Conformance.FHIR.newFhirPath();

  static Stream<Arguments> searchParameters() {
    return LianyaoPackage.get().conformanceResources(Conformance.FHIR).stream()
        .filter(SearchParameter.class::isInstance).map(SearchParameter.class::cast)
        .map(sp -> Arguments.of(sp.getIdPart(), sp));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("searchParameters")
  void expressionIndexesTheExamples(String id, SearchParameter sp) {
    String base = sp.getBase().get(0).getValue();
    List<IBase> values = new ArrayList<>();
    for (IBaseResource example : EXAMPLES) {
      if (example.fhirType().equals(base)) {
        values.addAll(FHIRPATH.evaluate(example, sp.getExpression(), IBase.class));
      }
    }
    assertThat(values).as(sp.getExpression()).isNotEmpty();
    for (IBase value : values) {
      switch (sp.getType()) {
        case REFERENCE -> {
          assertThat(value).isInstanceOf(Reference.class);
          String targetType = ((Reference) value).getReferenceElement().getResourceType();
          assertThat(sp.getTarget()).extracting(t -> t.getValue()).contains(targetType);
        }
        case TOKEN -> assertThat(value).isInstanceOfAny(Coding.class, Identifier.class, BooleanType.class);
        case DATE -> assertThat(value).isInstanceOf(Period.class);
        default -> throw new AssertionError("unexpected search parameter type " + sp.getType());
      }
    }
  }

  @Test
  void institutionFindsThePrescribingAndDispensingInstitution() {
    assertThat(evaluate("MedicationRequest", "rx-h02-yc20250410003-1", "institution"))
        .extracting(v -> ((Reference) v).getReference()).containsExactly("Organization/H50011200002");
    assertThat(evaluate("MedicationDispense", "dispense-h01-cf20250315001-1", "institution"))
        .extracting(v -> ((Reference) v).getReference()).containsExactly("Organization/H50011200001");
  }

  @Test
  void traceabilityCodeIndexesEveryScannedPack() {
    assertThat(evaluate("MedicationDispense", "dispense-h02-yc20250410003-1", "traceability-code"))
        .hasSize(5).allSatisfy(v -> assertThat(((Identifier) v).getValue()).hasSize(20));
  }

  @Test
  void formularyItemParametersReadTheCatalogFlags() {
    assertThat(evaluate("Basic", "item-member-h02-2025-amlodipine", "formulary"))
        .extracting(v -> ((Reference) v).getReference()).containsExactly("InsurancePlan/member-h02-2025");
    assertThat(evaluate("Basic", "item-consortium-2025-atorvastatin", "chronic-disease-group"))
        .extracting(v -> ((Coding) v).getCode()).containsExactly("hyperlipidemia", "coronary-heart-disease");
    assertThat(evaluate("Basic", "item-consortium-2025-danshen", "change-type"))
        .extracting(v -> ((Coding) v).getCode()).containsExactly("introduce", "change");
    assertThat(evaluate("InsurancePlan", "member-h02-2025", "parent-formulary"))
        .extracting(v -> ((Reference) v).getReference()).containsExactly("InsurancePlan/consortium-2025");
  }

  private static List<IBase> evaluate(String type, String id, String code) {
    SearchParameter sp = searchParameters().map(a -> (SearchParameter) a.get()[1])
        .filter(p -> p.getBase().get(0).getValue().equals(type) && p.getCode().equals(code))
        .findFirst().orElseThrow();
    IBaseResource example = EXAMPLES.stream()
        .filter(e -> e.fhirType().equals(type) && e.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
    return FHIRPATH.evaluate(example, sp.getExpression(), IBase.class);
  }
}
