package org.lianyao.formulary;

import ca.uhn.fhir.context.FhirContext;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.lianyao.formulary.report.Labels;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.TerminologyResources;
import org.springframework.stereotype.Component;

/**
 * The terminology module as the formulary services need it: Chinese displays for reports and the
 * {@code grassroots} property of institution levels. Read once at start (bundled resources).
 */
@Component
public class FormularyTerminology implements Labels {

  private final TerminologyResources resources;

  public FormularyTerminology(FhirContext fhirContext) {
    this.resources = new TerminologyResources(fhirContext);
  }

  public TerminologyResources resources() {
    return resources;
  }

  @Override
  public String insuranceClass(String code) {
    return resources.display(CodeSystems.INSURANCE_CLASS, code).orElse(code);
  }

  @Override
  public String chronicDiseaseGroup(String code) {
    return resources.display(CodeSystems.CHRONIC_DISEASE_GROUP, code).orElse(code);
  }

  @Override
  public String institutionLevel(String code) {
    return code == null ? "" : resources.display(CodeSystems.INSTITUTION_LEVEL, code).orElse(code);
  }

  public String dosageForm(String code) {
    return code == null ? "" : resources.display(CodeSystems.DOSAGE_FORM, code).orElse(code);
  }

  /** The level's {@code grassroots} property (基层医疗机构); empty for an unknown level. */
  public Optional<Boolean> grassroots(String levelCode) {
    if (levelCode == null) {
      return Optional.empty();
    }
    return resources.concept(CodeSystems.INSTITUTION_LEVEL, levelCode)
        .flatMap(c -> c.getProperty().stream()
            .filter(p -> CodeSystems.PROPERTY_GRASSROOTS.equals(p.getCode()))
            .map(CodeSystem.ConceptPropertyComponent::getValue)
            .filter(BooleanType.class::isInstance)
            .map(v -> ((BooleanType) v).booleanValue())
            .findFirst());
  }
}
