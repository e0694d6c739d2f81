package org.lianyao.prescription;

import ca.uhn.fhir.context.FhirContext;
import org.lianyao.prescription.rules.CodeLabels;
import org.lianyao.prescription.rules.ExtensionRules;
import org.lianyao.prescription.rules.LongTermRules;
import org.lianyao.terminology.TerminologyResources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pure prescription rules, built from {@link PrescriptionProperties}. */
@Configuration(proxyBeanMethods = false)
public class PrescriptionConfig {

  @Bean
  CodeLabels prescriptionCodeLabels(FhirContext fhirContext) {
    return new CodeLabels(new TerminologyResources(fhirContext));
  }

  @Bean
  LongTermRules longTermRules(PrescriptionProperties properties, CodeLabels labels) {
    return new LongTermRules(properties.longTerm(), labels);
  }

  @Bean
  ExtensionRules extensionRules(PrescriptionProperties properties, LongTermRules longTermRules, CodeLabels labels) {
    return new ExtensionRules(properties.extend(), longTermRules, labels);
  }
}
