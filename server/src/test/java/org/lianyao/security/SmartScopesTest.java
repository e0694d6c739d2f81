package org.lianyao.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

  @Test
  void v2ScopesGrantExactlyTheirLetters() {
    SmartScopes s = SmartScopes.parse("system/MedicationRequest.cru system/Patient.rs");
    assertThat(s.allows("MedicationRequest", Interaction.CREATE)).isTrue();
    assertThat(s.allows("MedicationRequest", Interaction.UPDATE)).isTrue();
    assertThat(s.allows("MedicationRequest", Interaction.DELETE)).isFalse();
    assertThat(s.allows("MedicationRequest", Interaction.SEARCH)).isFalse();
    assertThat(s.allows("Patient", Interaction.SEARCH)).isTrue();
    assertThat(s.allows("Patient", Interaction.CREATE)).isFalse();
    assertThat(s.allows("Organization", Interaction.READ)).isFalse();
  }

  @Test
  void wildcardsAndV1Suffixes() {
    SmartScopes s = SmartScopes.parse(List.of("system/*.rs", "system/Basic.write", "system/Medication.*"));
    assertThat(s.allows("Organization", Interaction.READ)).isTrue();
    assertThat(s.allows("Organization", Interaction.CREATE)).isFalse();
    assertThat(s.allows("Basic", Interaction.DELETE)).isTrue();
    assertThat(s.allows("Basic", Interaction.READ)).isTrue();
    assertThat(s.allows("Medication", Interaction.DELETE)).isTrue();
  }

  @Test
  void scopesOutsideTheSystemContextOrWithQueriesOrOutOfOrderGrantNothing() {
    SmartScopes s = SmartScopes.parse(
        "patient/*.rs user/Patient.cruds system/Observation.rs?category=laboratory system/Patient.sr openid");
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.allows("Patient", Interaction.READ)).isFalse();
  }

  @Test
  void narrowerScopesAreImpliedWiderAreNot() {
    SmartScopes registered = SmartScopes.parse("system/*.rs system/MedicationRequest.cu");
    assertThat(registered.implies("system/MedicationRequest.c")).isTrue();
    assertThat(registered.implies("system/Patient.r")).isTrue();
    assertThat(registered.implies("system/*.r")).isTrue();
    assertThat(registered.implies("system/MedicationRequest.d")).isFalse();
    assertThat(registered.implies("system/*.c")).isFalse();
    assertThat(registered.implies("patient/Patient.r")).isFalse();
  }

  @Test
  void requiredScopeNamesTheInteraction() {
    assertThat(SmartScopes.required("MedicationRequest", Interaction.CREATE)).isEqualTo("system/MedicationRequest.c");
  }
}
