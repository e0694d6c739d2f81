package org.lianyao.prescription.rules;

import ca.uhn.fhir.context.FhirContext;
import java.util.Collection;
import java.util.stream.Collectors;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.TerminologyResources;

/**
 * Chinese names of prescription categories and drug-control classes, read from the bundled code
 * systems (the source of truth for displays) so that refusal texts never retype them.
 */
public final class CodeLabels {

  private final TerminologyResources terminology;

  public CodeLabels(TerminologyResources terminology) {
    this.terminology = terminology;
  }

  public static CodeLabels load() {
    return new CodeLabels(new TerminologyResources(FhirContext.forR4Cached()));
  }

  public String controlClass(String code) {
    return terminology.display(CodeSystems.DRUG_CONTROL_CLASS, code).orElse(code);
  }

  public String category(String code) {
    return terminology.display(CodeSystems.PRESCRIPTION_CATEGORY, code).orElse(code);
  }

  public String controlClasses(Collection<String> codes) {
    return codes.stream().sorted().map(this::controlClass).collect(Collectors.joining("、"));
  }

  public String categories(Collection<String> codes) {
    return codes.stream().sorted().map(this::category).collect(Collectors.joining("、"));
  }
}
