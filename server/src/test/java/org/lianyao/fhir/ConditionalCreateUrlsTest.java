package org.lianyao.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;

class ConditionalCreateUrlsTest {

  @Test
  void conditionalCreatesGetTheirResourceType() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(new Patient()).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient")
        .setIfNoneExist("identifier=urn%3Aoid%3A2.16.156.10011.1.3%7C110101199003077774");
    bundle.addEntry().setResource(new Practitioner()).getRequest().setMethod(HTTPVerb.POST).setUrl("Practitioner")
        .setIfNoneExist("identifier=http://example.org/staff|%E5%BC%A0");

    assertThat(ConditionalCreateUrls.qualify(bundle)).isEqualTo(2);
    assertThat(bundle.getEntry().get(0).getRequest().getIfNoneExist())
        .isEqualTo("Patient?identifier=urn%3Aoid%3A2.16.156.10011.1.3%7C110101199003077774");
    assertThat(bundle.getEntry().get(1).getRequest().getIfNoneExist())
        .isEqualTo("Practitioner?identifier=http://example.org/staff|%E5%BC%A0");
  }

  @Test
  void typedConditionsOtherVerbsAndPlainCreatesAreLeftAlone() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(new Patient()).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient")
        .setIfNoneExist("Patient?identifier=a|1");
    bundle.addEntry().setResource(new MedicationRequest()).getRequest().setMethod(HTTPVerb.PUT)
        .setUrl("MedicationRequest?identifier=b|2").setIfNoneExist("identifier=b|2");
    bundle.addEntry().setResource(new Patient()).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
    bundle.addEntry().setResource(new Patient()).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient")
        .setIfNoneExist(" ");

    assertThat(ConditionalCreateUrls.qualify(bundle)).isZero();
    assertThat(bundle.getEntry().get(0).getRequest().getIfNoneExist()).isEqualTo("Patient?identifier=a|1");
    assertThat(bundle.getEntry().get(1).getRequest().getIfNoneExist()).isEqualTo("identifier=b|2");
    assertThat(bundle.getEntry().get(2).getRequest().hasIfNoneExist()).isFalse();
  }

  @Test
  void anEntryWithoutAResourceIsLeftForHapiToRefuse() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().getRequest().setMethod(HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=a|1");

    assertThat(ConditionalCreateUrls.qualify(bundle)).isZero();
    assertThat(bundle.getEntryFirstRep().getRequest().getIfNoneExist()).isEqualTo("identifier=a|1");
  }
}
