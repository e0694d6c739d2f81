package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.lianyao.profiles.LianyaoPackage;
import org.lianyao.testsupport.PostgresIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Tags and profile declarations stored inside the resources (HAPI's inline tag storage). */
class InlineTagStorageIT extends PostgresIntegrationTest {

  @Autowired
  DataSource dataSource;

  @Autowired
  InlineTagStorage inlineTagStorage;

  private String patientProfile() {
    return LianyaoPackage.profileUrl("Patient").orElseThrow();
  }

  @Test
  void profilesAreStoredInTheResourcesAndSearchable() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    // The demo consortium's profiled resources are stored, none of them through the tag tables.
    assertThat(jdbc.queryForObject("select count(*) from hfj_resource where res_type = 'Patient'", Integer.class))
        .isGreaterThanOrEqualTo(10);
    assertThat(jdbc.queryForObject("select count(*) from hfj_res_tag", Integer.class)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from hfj_history_tag", Integer.class)).isZero();

    Bundle byProfile = fhirClient().search().forResource(Patient.class)
        .where(new ca.uhn.fhir.rest.gclient.UriClientParam("_profile").matches().value(patientProfile()))
        .count(100).returnBundle(Bundle.class).execute();
    assertThat(byProfile.getEntry()).hasSizeGreaterThanOrEqualTo(10);
    Patient first = (Patient) byProfile.getEntryFirstRep().getResource();
    assertThat(first.getMeta().getProfile()).anyMatch(p -> patientProfile().equals(p.getValue()));

    Patient read = fhirClient().read().resource(Patient.class).withId(first.getIdElement().getIdPart()).execute();
    assertThat(read.getMeta().getProfile()).anyMatch(p -> patientProfile().equals(p.getValue()));

    Bundle otherProfile = fhirClient().search().forResource(Patient.class)
        .where(new ca.uhn.fhir.rest.gclient.UriClientParam("_profile").matches().value("http://example.org/no-such-profile"))
        .returnBundle(Bundle.class).execute();
    assertThat(otherProfile.getEntry()).isEmpty();
  }

  @Test
  void metaOperationsAreRefusedInChinese() {
    Bundle patients = fhirClient().search().forResource(Patient.class).count(1).returnBundle(Bundle.class).execute();
    String id = patients.getEntryFirstRep().getResource().getIdElement().getIdPart();
    assertThatThrownBy(() -> fhirClient().meta().get(Meta.class).fromResource(new org.hl7.fhir.r4.model.IdType("Patient", id))
        .execute())
        .isInstanceOfSatisfying(NotImplementedOperationException.class, e -> {
          OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
          assertThat(oo.getIssueFirstRep().getDetails().getText()).startsWith("不支持 $meta");
          assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("stored in the resource");
        });
    Meta add = new Meta();
    add.addTag("http://example.org/tags", "x", null);
    assertThatThrownBy(() -> fhirClient().meta().add().onResource(new org.hl7.fhir.r4.model.IdType("Patient", id))
        .meta(add).execute())
        .isInstanceOf(NotImplementedOperationException.class);
    assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from hfj_res_tag", Integer.class)).isZero();
  }

  @Test
  void refusesADatabaseWhoseTagsAreInTheTagTables() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Long resource = jdbc.queryForObject("select min(res_id) from hfj_resource where res_type = 'Patient'", Long.class);
    jdbc.update("insert into hfj_tag_def (tag_id, tag_type, tag_system, tag_code) values (-1, 0, 'http://example.org/t', 'old')");
    try {
      jdbc.update("insert into hfj_res_tag (pid, tag_id, res_id, res_type) values (-1, -1, ?, 'Patient')", resource);
      assertThatThrownBy(inlineTagStorage::requireNoTagTableRows)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("HFJ_RES_TAG")
          .hasMessageContaining("new database");
    } finally {
      jdbc.update("delete from hfj_res_tag where pid = -1");
      jdbc.update("delete from hfj_tag_def where tag_id = -1");
    }
    inlineTagStorage.requireNoTagTableRows(); // clean again
  }
}
