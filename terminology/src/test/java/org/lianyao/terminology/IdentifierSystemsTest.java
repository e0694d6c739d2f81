package org.lianyao.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifierSystemsTest {

  @Test
  void institutionScopedSystemsEmbedTheInstitutionCode() {
    assertThat(IdentifierSystems.prescriptionNumberSystem("H50011200001"))
        .isEqualTo("http://lianyao.org/fhir/sid/prescription-number/H50011200001");
    assertThat(IdentifierSystems.practitionerCodeSystem("H50011200001"))
        .isEqualTo("http://lianyao.org/fhir/sid/practitioner-code/H50011200001");
    assertThat(IdentifierSystems.localRecordNumberSystem("H50011200001"))
        .isEqualTo("http://lianyao.org/fhir/sid/local-record-number/H50011200001");
  }

  @Test
  void extractsTheInstitutionCodeBack() {
    assertThat(IdentifierSystems.institutionCodeOf(IdentifierSystems.prescriptionNumberSystem("H50011200001")))
        .contains("H50011200001");
    assertThat(IdentifierSystems.institutionCodeOf(IdentifierSystems.localRecordNumberSystem("H11010800123")))
        .contains("H11010800123");
    assertThat(IdentifierSystems.institutionCodeOf(IdentifierSystems.USCC)).isEmpty();
    assertThat(IdentifierSystems.institutionCodeOf(IdentifierSystems.PRESCRIPTION_NUMBER_OID)).isEmpty();
    assertThat(IdentifierSystems.institutionCodeOf(null)).isEmpty();
  }

  @Test
  void systemsLiveUnderTheCanonicalBaseOrAreNationalOids() {
    assertThat(IdentifierSystems.CANONICAL_BASE).isEqualTo("http://lianyao.org/fhir");
    assertThat(IdentifierSystems.RESIDENT_ID).isEqualTo("urn:oid:2.16.156.10011.1.3");
    assertThat(IdentifierSystems.INSTITUTION_CODE).isEqualTo("urn:oid:2.16.156.10011.1.5");
    assertThat(IdentifierSystems.INSTITUTION_SCOPED_BASES).allMatch(b -> b.startsWith("http://lianyao.org/fhir/sid/") && b.endsWith("/"));
  }
}
