package org.lianyao.security.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lianyao.security.Caller;
import org.lianyao.security.Interaction;
import org.lianyao.security.Role;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.SmartScopes;

class AccessPolicyTest {

  private final AccessPolicy policy = new AccessPolicy(properties(Map.of()));

  static SecurityProperties properties(Map<String, List<String>> operations) {
    return new SecurityProperties(true, "lianyao-fhir", new SecurityProperties.Claims("institution", "role", "client_id"),
        List.of(), null, List.of(), operations, null, null, null);
  }

  private static Caller caller(Role role, String scopes) {
    return new Caller("c", role.actsForInstitution() ? "H50011200004" : null, role, SmartScopes.parse(scopes), "iss", null);
  }

  @Test
  void rightsAreTheRoleCeilingIntersectedWithTheScopes() {
    Caller his = caller(Role.HIS, "system/*.cruds");
    assertThat(policy.effective(his, "MedicationRequest"))
        .containsExactlyInAnyOrder(Interaction.CREATE, Interaction.READ, Interaction.UPDATE, Interaction.SEARCH);
    assertThat(policy.effective(his, "AuditEvent")).isEmpty();
    assertThat(policy.effective(his, "CodeSystem")).containsExactlyInAnyOrder(Interaction.READ, Interaction.SEARCH);
    assertThat(policy.writeScope(Role.HIS, "MedicationRequest")).isEqualTo(AccessPolicy.WriteScope.OWN);
    assertThat(policy.writeScope(Role.HIS, "Patient")).isEqualTo(AccessPolicy.WriteScope.SHARED);

    Caller narrowed = caller(Role.HIS, "system/Patient.rs");
    assertThat(policy.effective(narrowed, "MedicationRequest")).isEmpty();
  }

  @Test
  void leastPrivilegePerRole() {
    assertThat(policy.ceiling(Role.AUDITOR, "AuditEvent")).contains(Interaction.SEARCH);
    assertThat(policy.ceiling(Role.AUDITOR, "Patient")).isEmpty();
    assertThat(policy.ceiling(Role.COMMITTEE, "InsurancePlan")).contains(Interaction.CREATE, Interaction.DELETE);
    assertThat(policy.ceiling(Role.COMMITTEE, "MedicationRequest")).isEmpty();
    assertThat(policy.ceiling(Role.ADMIN, "CodeSystem")).contains(Interaction.CREATE);
    assertThat(policy.ceiling(Role.ADMIN, "MedicationRequest")).containsExactlyInAnyOrder(Interaction.READ, Interaction.SEARCH);
    assertThat(policy.ceiling(Role.TRACE_PLATFORM, "MedicationDispense")).doesNotContain(Interaction.CREATE);
    assertThat(policy.mayInvoke(Role.ADMIN, "$export")).isTrue();
    assertThat(policy.mayInvoke(Role.HIS, "$export")).isFalse();
    assertThat(policy.mayInvoke(Role.COMMITTEE, "$import-catalog")).isTrue();
    assertThat(policy.mayInvoke(Role.HIS, "$expand")).isTrue();
  }

  @Test
  void operationRightsCanBeConfigured() {
    AccessPolicy configured = new AccessPolicy(properties(Map.of("shared-prescriptions", List.of("his", "pharmacist"),
        "export", List.of("auditor"))));
    assertThat(configured.mayInvoke(Role.HIS, "$shared-prescriptions")).isTrue();
    assertThat(configured.mayInvoke(Role.COMMITTEE, "shared-prescriptions")).isFalse();
    assertThat(configured.mayInvoke(Role.AUDITOR, "$export")).isTrue();
    assertThat(configured.mayInvoke(Role.ADMIN, "$export")).as("configuration replaces the default").isFalse();
  }

  @Test
  void explanationsNameTheMissingRightInChineseAndEnglish() {
    Denial byRole = policy.explain(caller(Role.AUDITOR, "system/*.rs"), "Patient", Interaction.SEARCH);
    assertThat(byRole.chinese()).contains("审计员").contains("查询 Patient");
    assertThat(byRole.english()).contains("role 'auditor' may not search Patient");
    Denial byScope = policy.explain(caller(Role.HIS, "system/Patient.rs"), "MedicationRequest", Interaction.CREATE);
    assertThat(byScope.missingRight()).isEqualTo("system/MedicationRequest.c");
    assertThat(byScope.chinese()).contains("授权范围 system/MedicationRequest.c");
  }

  @Test
  void everyDefaultScopeIsAValidSmartSystemScope() {
    for (Role role : Role.values()) {
      for (String scope : AccessPolicy.defaultScopes(role)) {
        assertThat(SmartScopes.parse(scope).isEmpty()).as(scope).isFalse();
      }
    }
  }
}
