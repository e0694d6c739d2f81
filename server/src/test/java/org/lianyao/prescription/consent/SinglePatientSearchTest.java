package org.lianyao.prescription.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which searches are plainly confined to one patient (and so need no pre-paging consent filter). */
class SinglePatientSearchTest {

  @Test
  void onePatientByIdOrReference() {
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"123"}))).contains("123");
    assertThat(search("MedicationRequest", Map.of("subject", new String[] {"Patient/123"}))).contains("123");
    assertThat(search("MedicationDispense", Map.of("subject:Patient", new String[] {"abc-1"}, "status",
        new String[] {"completed"}, "_count", new String[] {"20"}))).contains("abc-1");
  }

  @Test
  void anythingThatMayReachOtherPatientsIsNotConfined() {
    assertThat(search("MedicationRequest", Map.of("status", new String[] {"active"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"1,2"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"1", "2"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"1"}, "subject", new String[] {"2"})))
        .isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient.identifier", new String[] {"x|1"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"http://other.example/fhir/Patient/1"})))
        .isEmpty();
    assertThat(search("MedicationRequest", Map.of("subject", new String[] {"Group/7"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"1"}, "_revinclude",
        new String[] {"MedicationDispense:prescription"}))).isEmpty();
    assertThat(search("MedicationRequest", Map.of("patient", new String[] {"1"}, "_include:iterate",
        new String[] {"*"}))).isEmpty();
    assertThat(search("Patient", Map.of("_id", new String[] {"1"}))).isEmpty();
  }

  @Test
  void readsAreNotSearches() {
    SystemRequestDetails read = new SystemRequestDetails();
    read.setRestOperationType(RestOperationTypeEnum.READ);
    read.setResourceName("MedicationRequest");
    assertThat(SinglePatientSearch.patientId(read)).isEmpty();
  }

  private static Optional<String> search(String type, Map<String, String[]> params) {
    SystemRequestDetails request = new SystemRequestDetails();
    request.setRestOperationType(RestOperationTypeEnum.SEARCH_TYPE);
    request.setResourceName(type);
    request.setParameters(new LinkedHashMap<>(params));
    return SinglePatientSearch.patientId(request);
  }
}
