package org.lianyao.formulary.index;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Medication;
import org.lianyao.formulary.FormularyResources;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@link FormularyIndex} in step with the FHIR store: every create, update and delete of a
 * formulary item (Basic) or a product (Medication) rewrites its index row in the same database
 * transaction, at HAPI's pre-commit point, where transaction-bundle references are resolved.
 *
 * <p>Registered with HAPI's global interceptor service itself, not as a gateway interceptor: the
 * index is storage, not policy, so it must follow every write even in the plain-HAPI benchmark
 * baseline ({@code lianyao.fhir.gateway-interceptors-enabled=false}).
 */
@Component
@Interceptor
public class FormularyIndexInterceptor {

  private final FormularyIndex index;
  private final IInterceptorService interceptors;

  public FormularyIndexInterceptor(FormularyIndex index, IInterceptorService interceptors) {
    this.index = index;
    this.interceptors = interceptors;
  }

  @PostConstruct
  void register() {
    interceptors.registerInterceptor(this);
  }

  @PreDestroy
  void unregister() {
    interceptors.unregisterInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    put(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    put(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    if (resource instanceof Basic basic) {
      index.removeItem(basic.getIdElement().getIdPart());
    } else if (resource instanceof Medication medication) {
      index.removeProduct(medication.getIdElement().getIdPart());
    }
  }

  void put(IBaseResource resource) {
    if (resource instanceof Basic basic) {
      if (FormularyResources.isFormularyItem(basic)) {
        index.putItem(FormularyResources.toEntry(basic));
      } else {
        // It may have been a formulary item before this update.
        index.removeItem(basic.getIdElement().getIdPart());
      }
    } else if (resource instanceof Medication medication) {
      index.putProduct(FormularyResources.toProduct(medication), FormularyResources.keyIdentifier(medication));
    }
  }
}
