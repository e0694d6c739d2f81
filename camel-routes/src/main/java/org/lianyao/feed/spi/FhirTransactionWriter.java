package org.lianyao.feed.spi;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Writes a feed's FHIR transaction into the store with the rights of the institution the channel
 * acts for: resources that belong to an institution (MedicationRequest, MedicationDispense …) must
 * belong to that one, and every resource passes the gateway's profile validation. Must be called
 * inside a transaction of the gateway database, which it joins, so that the caller's own writes
 * (message status, watermark) commit together with the resources.
 */
public interface FhirTransactionWriter {

  /**
   * @param transaction a transaction bundle (conditional creates/updates)
   * @param actingInstitution NHSA institution code of the sending member
   * @return ids of the resources written ({@code MedicationRequest/123}), in entry order
   * @throws FeedWriteException when the store refuses the transaction; nothing was written then
   */
  List<String> write(Bundle transaction, String actingInstitution);
}
