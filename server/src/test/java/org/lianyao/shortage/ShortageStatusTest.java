package org.lianyao.shortage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.SupplyRequest.SupplyRequestStatus;
import org.junit.jupiter.api.Test;

class ShortageStatusTest {

  @Test
  void transitions() {
    assertThat(ShortageStatus.REGISTERED.mayBecome(ShortageStatus.ORDERED)).isTrue();
    assertThat(ShortageStatus.ORDERED.mayBecome(ShortageStatus.DELIVERED)).isTrue();
    assertThat(ShortageStatus.REGISTERED.mayBecome(ShortageStatus.CANCELLED)).isTrue();
    assertThat(ShortageStatus.ORDERED.mayBecome(ShortageStatus.CANCELLED)).isTrue();
    assertThat(ShortageStatus.REGISTERED.mayBecome(ShortageStatus.DELIVERED)).as("must be ordered first").isFalse();
    assertThat(ShortageStatus.DELIVERED.mayBecome(ShortageStatus.ORDERED)).isFalse();
    assertThat(ShortageStatus.CANCELLED.mayBecome(ShortageStatus.REGISTERED)).isFalse();
    assertThat(ShortageStatus.DELIVERED.mayBecome(ShortageStatus.ENTERED_IN_ERROR)).isTrue();
    assertThat(ShortageStatus.ORDERED.mayBecome(ShortageStatus.ORDERED)).isTrue();
  }

  @Test
  void businessStatusRidesInAnExtensionNextToTheFhirStatus() {
    SupplyRequest sr = new SupplyRequest().setStatus(SupplyRequestStatus.ACTIVE);
    assertThat(ShortageStatus.of(sr)).contains(ShortageStatus.REGISTERED);
    ShortageStatus.ORDERED.applyTo(sr);
    assertThat(sr.getStatus()).isEqualTo(SupplyRequestStatus.ACTIVE);
    assertThat(ShortageStatus.of(sr)).contains(ShortageStatus.ORDERED);
    assertThat(sr.getExtensionsByUrl(ShortageStatus.EXTENSION)).hasSize(1);
    ShortageStatus.DELIVERED.applyTo(sr);
    assertThat(sr.getStatus()).isEqualTo(SupplyRequestStatus.COMPLETED);
    assertThat(sr.getExtensionsByUrl(ShortageStatus.EXTENSION)).hasSize(1);
    // An extension that contradicts the FHIR status is no status at all.
    sr.setStatus(SupplyRequestStatus.ACTIVE);
    assertThat(ShortageStatus.of(sr)).isEmpty();
    SupplyRequest draft = new SupplyRequest().setStatus(SupplyRequestStatus.DRAFT);
    assertThat(ShortageStatus.of(draft)).isEmpty();
    SupplyRequest unknownCode = new SupplyRequest().setStatus(SupplyRequestStatus.ACTIVE);
    unknownCode.addExtension(ShortageStatus.EXTENSION, new Coding(ShortageStatus.SYSTEM, "lost", null));
    assertThat(ShortageStatus.of(unknownCode)).isEmpty();
  }

  @Test
  void tallyMarksFrequentDrugsAsCatalogCandidates() {
    List<ShortageTally.Row> rows = ShortageTally.tally(List.of(
        new ShortageTally.Registration("Medication/1", "噻托溴铵粉雾剂", "Medication/1", "Organization/4"),
        new ShortageTally.Registration("Medication/2", "阿卡波糖片", "Medication/2", "Organization/4"),
        new ShortageTally.Registration("Medication/1", "噻托溴铵粉雾剂", "Medication/1", "Organization/3"),
        new ShortageTally.Registration("Medication/1", "噻托溴铵粉雾剂", "Medication/1", "Organization/4")), 3);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).drugKey()).isEqualTo("Medication/1");
    assertThat(rows.get(0).registrations()).isEqualTo(3);
    assertThat(rows.get(0).institutions()).isEqualTo(2);
    assertThat(rows.get(0).candidate()).isTrue();
    assertThat(rows.get(1).candidate()).isFalse();
  }

  @Test
  void periodParsing() {
    assertThat(ShortageReportService.parsePeriod("2026-01-01/2026-12-31")[1]).hasToString("2026-12-31");
    assertThat(ShortageReportService.parsePeriod("2026")[0]).hasToString("2026-01-01");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShortageReportService.parsePeriod("2026-12-31/2026-01-01"))
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.InvalidRequestException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShortageReportService.parsePeriod("last year"))
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.InvalidRequestException.class);
  }
}
