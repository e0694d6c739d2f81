package org.lianyao.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.Test;

/**
 * The HL7 validator re-reads its OID registry for every validation (DEVELOPERS.md, "Validator OID
 * registry override"): this module's header-only copy, shipped next to the validator factory, must
 * be the one found first.
 */
class OidRegistryOverrideTest {

  @Test
  void theValidatorLoadsTheHeaderOnlyRegistry() {
    URL registry = OIDUtilities.class.getClassLoader().getResource("oidregistry.csv");
    assertThat(registry).isNotNull();
    assertThat(registry.toString()).as("found outside the HL7 utilities jar").doesNotContain("org.hl7.fhir.utilities");
    assertThat(new OIDUtilities().isKnownOID("2.16.840.1.113883.6.1")).as("LOINC's OID from the full registry").isFalse();
  }
}
