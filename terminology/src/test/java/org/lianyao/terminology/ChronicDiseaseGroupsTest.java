package org.lianyao.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChronicDiseaseGroupsTest {

  private static ChronicDiseaseGroups groups;

  @BeforeAll
  static void load() {
    groups = new ChronicDiseaseGroups(new TerminologyResources(FhirContext.forR4Cached()));
  }

  @ParameterizedTest
  @CsvSource({
      "I10, hypertension",
      "I10.x00x002, hypertension", // 国家临床版 2.0 extension code
      "I15.9, hypertension",
      "E11.900, diabetes",
      "J44.1, copd",
      "I25.1, coronary-heart-disease",
      "I63.9, stroke",
      "I69.3, stroke",
      "N18.5, chronic-kidney-disease",
      "M81.0, osteoporosis",
      "E78.5, hyperlipidemia",
      "B18.1, chronic-hepatitis-b",
      "b18.102, chronic-hepatitis-b",
      "F32.9, depression",
      "G20.x00, parkinson",
  })
  void mapsDiagnosesToGroups(String icd10, String group) {
    assertThat(groups.groupsFor(icd10)).extracting(Coding::getCode).containsExactly(group);
    assertThat(groups.groupsFor(icd10).get(0).getSystem()).isEqualTo(CodeSystems.CHRONIC_DISEASE_GROUP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"I16", "I09.9", "I65", "I26", "B18.2", "B18", "J45", "E15", "", "1", "I1"})
  void leavesOtherDiagnosesUngrouped(String icd10) {
    assertThat(groups.groupsFor(icd10)).isEmpty();
  }

  @Test
  void rangeArithmetic() {
    assertThat(ChronicDiseaseGroups.inRanges("I60-I64,I69", "I62.0")).isTrue();
    assertThat(ChronicDiseaseGroups.inRanges("I60-I64,I69", "I66")).isFalse();
    assertThat(ChronicDiseaseGroups.inRanges("B18.0-B18.1", "B18.0")).isTrue();
    assertThat(ChronicDiseaseGroups.inRanges("B18.0-B18.1", "B17.9")).isFalse();
    assertThat(ChronicDiseaseGroups.inRanges("E78", "E78")).isTrue();
    assertThat(ChronicDiseaseGroups.inRanges("E78", null)).isFalse();
  }
}
