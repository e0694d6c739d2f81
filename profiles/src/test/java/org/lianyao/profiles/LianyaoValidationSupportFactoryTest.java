package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.RemoteTerminologyServiceValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.CodeSystems;

/** The offline chain knows the package's profiles and terminology and needs no server. */
class LianyaoValidationSupportFactoryTest {

  private final ValidationSupportChain chain = Conformance.chain();

  @Test
  void chainIsOffline() {
    assertThat(chain.isRemoteTerminologyServiceConfigured()).isFalse();
    assertThat(chain.getValidationSupports()).noneMatch(RemoteTerminologyServiceValidationSupport.class::isInstance);
  }

  @Test
  void everyProfileResolvesWithItsSnapshot() {
    LianyaoPackage.profileUrls().values().forEach(url -> {
      StructureDefinition sd = (StructureDefinition) chain.fetchStructureDefinition(url);
      assertThat(sd).as(url).isNotNull();
      assertThat(sd.getSnapshot().getElement()).as(url).isNotEmpty();
    });
    assertThat(chain.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient")).isNotNull();
  }

  @Test
  void nationalCodeTablesValidateInMemory() {
    ValidationSupportContext context = new ValidationSupportContext(chain);
    ConceptValidationOptions options = new ConceptValidationOptions();
    IValidationSupport.CodeValidationResult oral =
        chain.validateCode(context, options, CodeSystems.ROUTE, "1", null, CodeSystems.ROUTE_VALUE_SET);
    assertThat(oral).isNotNull();
    assertThat(oral.isOk()).isTrue();
    assertThat(oral.getDisplay()).isEqualTo("口服");
    IValidationSupport.CodeValidationResult unknown =
        chain.validateCode(context, options, CodeSystems.ROUTE, "77", null, CodeSystems.ROUTE_VALUE_SET);
    assertThat(unknown == null || !unknown.isOk()).isTrue();

    IValidationSupport.ValueSetExpansionOutcome forms = chain.expandValueSet(context,
        new ValueSetExpansionOptions(), CodeSystems.DOSAGE_FORM_VALUE_SET);
    assertThat(forms).isNotNull();
    assertThat(((ValueSet) forms.getValueSet()).getExpansion().getContains())
        .extracting(ValueSet.ValueSetExpansionContainsComponent::getCode).contains("01", "16", "99").hasSize(75);
  }

  @Test
  void packageSupportIsLockedAndHoldsOnlyTheUsefulTypes() {
    PrePopulatedValidationSupport support =
        LianyaoValidationSupportFactory.newPackageValidationSupport(Conformance.FHIR, LianyaoPackage.get());
    assertThat(support.fetchStructureDefinition(LianyaoProfiles.MEDICATION_REQUEST)).isNotNull();
    assertThat(support.fetchValueSet(CodeSystems.ROUTE_VALUE_SET)).isNotNull();
    assertThat(support.fetchAllSearchParameters()).hasSize(15);
    assertThatThrownBy(() -> support.addResource(new ValueSet())).isInstanceOf(RuntimeException.class);
  }

  @Test
  void onlyR4ContextsAreAccepted() {
    assertThatThrownBy(() -> LianyaoValidationSupportFactory.newValidationSupportChain(FhirContext.forR5Cached()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R4");
  }
}
