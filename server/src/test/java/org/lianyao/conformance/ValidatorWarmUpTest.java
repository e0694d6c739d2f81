package org.lianyao.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.lianyao.profiles.LianyaoPackage;

class ValidatorWarmUpTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  @Test
  void warmUpValidatesOneExampleOfEachProfiledType() {
    long profiledTypes = LianyaoPackage.get().examples(CTX).stream().map(IBaseResource::fhirType)
        .filter(type -> LianyaoPackage.profileUrl(type).isPresent()).distinct().count();
    assertThat(profiledTypes).as("the package has examples of the profiled types").isGreaterThanOrEqualTo(5);

    assertThat(new ConformanceValidator(CTX).warmUp()).isEqualTo(profiledTypes);
  }
}
