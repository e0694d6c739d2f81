package org.lianyao.prescription.consent;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one patient a search of prescriptions or dispenses is confined to, when the request says so
 * plainly: {@code MedicationRequest?patient=123} (or {@code subject=Patient/123}), one value, no
 * chain, and nothing that could add other resources ({@code _include}, {@code _revinclude},
 * {@code _has}, {@code _contained}). Anything else answers empty: the caller must then assume any
 * patient's data may come back.
 */
final class SinglePatientSearch {

  private static final Set<String> TYPES = Set.of("MedicationRequest", "MedicationDispense");
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Set<String> PATIENT_PARAMS = Set.of("patient", "patient:Patient", "subject", "subject:Patient");

  private SinglePatientSearch() {}

  static Optional<String> patientId(RequestDetails request) {
    if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
        || !TYPES.contains(request.getResourceName())) {
      return Optional.empty();
    }
    String id = null;
    for (Map.Entry<String, String[]> p : request.getParameters().entrySet()) {
      String name = p.getKey();
      if (name.startsWith("_include") || name.startsWith("_revinclude") || name.startsWith("_has")
          || name.startsWith("_contained")) {
        return Optional.empty();
      }
      if (!PATIENT_PARAMS.contains(name)) {
        continue;
      }
      String[] values = p.getValue();
      if (id != null || values == null || values.length != 1) {
        return Optional.empty();
      }
      id = plainPatientId(values[0]);
      if (id == null) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(id);
  }

  /** {@code 123} or {@code Patient/123}; null for lists, absolute URLs and other types. */
  static String plainPatientId(String value) {
    if (value == null) {
      return null;
    }
    String v = value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
    return PLAIN_ID.matcher(v).matches() ? v : null;
  }
}
