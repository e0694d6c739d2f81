package org.lianyao.prescription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.prescription.consent.SharingConsents;
import org.lianyao.prescription.drug.LocalDrugTranslator;
import org.lianyao.prescription.stock.MemberFormularies;
import org.springframework.stereotype.Component;

/**
 * Keeps the prescription services' caches true to the store on this node: a Consent write refreshes
 * the refusals, a ConceptMap write the local drug code translations, a formulary or Medication write
 * the member formularies — after the writing transaction commits.
 */
@Component
public class CacheInvalidationInterceptor implements GatewayInterceptor {

  private final SharingConsents consents;
  private final LocalDrugTranslator translator;
  private final MemberFormularies formularies;
  private final org.lianyao.prescription.drug.DrugResolver drugs;

  public CacheInvalidationInterceptor(SharingConsents consents, LocalDrugTranslator translator,
      MemberFormularies formularies, org.lianyao.prescription.drug.DrugResolver drugs) {
    this.consents = consents;
    this.translator = translator;
    this.formularies = formularies;
    this.drugs = drugs;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    changed(resource);
  }

  private void changed(IBaseResource resource) {
    switch (resource.fhirType()) {
      case "Consent" -> consents.invalidateAfterCommit();
      case "ConceptMap" -> translator.invalidate();
      case "Medication" -> {
        formularies.invalidateAfterCommit();
        drugs.invalidate();
      }
      case "Basic", "InsurancePlan" -> formularies.invalidateAfterCommit();
      default -> {
      }
    }
  }
}
