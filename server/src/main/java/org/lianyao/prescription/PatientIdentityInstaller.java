package org.lianyao.prescription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.SearchParameter;
import org.lianyao.fhir.SearchParameterInstaller;
import org.lianyao.fhir.SearchParameterReindex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * One Patient per resident ID (居民身份证号), guaranteed by the database: installs the search
 * parameter {@code resident-id} (the identifier in the resident-ID system) and a HAPI unique combo
 * search parameter over it ({@code http://hapifhir.io/fhir/StructureDefinition/sp-unique}). HAPI then
 * writes a row per patient into its unique index table ({@code HFJ_IDX_CMP_STRING_UNIQ}, unique
 * constraint), so a second Patient with the same resident ID is refused with 409 — also when two
 * members post the same new patient at the same moment. Members post patients with a conditional
 * create on the identifier and so get the existing one instead.
 *
 * <p>Runs at start before the demo data (order 20; the FHIR package installer is 10, the demo
 * loader 100) and only writes when the definitions changed. A database that already holds
 * patients when the parameter is first installed has them re-indexed by HAPI's background job; on a
 * database without patients no job is queued ({@link SearchParameterReindex}).
 */
@Component
@Order(20)
public class PatientIdentityInstaller implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(PatientIdentityInstaller.class);
  static final List<String> FILES = List.of(
      "org/lianyao/prescription/fhir/SearchParameter-lianyao-patient-resident-id.json",
      "org/lianyao/prescription/fhir/SearchParameter-lianyao-patient-resident-id-unique.json");

  private final DaoRegistry daoRegistry;
  private final ISearchParamRegistry searchParamRegistry;
  private final FhirContext fhirContext;

  public PatientIdentityInstaller(DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry,
      FhirContext fhirContext) {
    this.daoRegistry = daoRegistry;
    this.searchParamRegistry = searchParamRegistry;
    this.fhirContext = fhirContext;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    boolean patientsStored = new SearchParameterReindex(daoRegistry).anyStored(List.of("Patient"));
    List<SearchParameter> wanted = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException("Missing " + file);
        }
        wanted.add(fhirContext.newJsonParser().parseResource(SearchParameter.class,
            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    int installed = new SearchParameterInstaller(daoRegistry, searchParamRegistry).install(wanted, patientsStored);
    if (installed > 0 && patientsStored) {
      log.warn("Resident-ID uniqueness installed on a database that already holds patients: HAPI re-indexes"
          + " them in the background (REINDEX job); duplicates among them make that job report failures");
    }
  }
}
