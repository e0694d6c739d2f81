package org.lianyao.formulary;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.InsurancePlan;
import org.hl7.fhir.r4.model.Medication;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.formulary.index.FormularyIndex;
import org.springframework.stereotype.Component;

/**
 * The formulary rules on write (国卫药政发〔2024〕38号), for REST, transaction bundles and Camel feeds
 * alike (storage scope):
 * <ul>
 *   <li>a consortium version's period is at most one year (checked before storage);</li>
 *   <li>a member formulary points to a consortium version ({@code parent-formulary});</li>
 *   <li>an item of a member formulary names a product-spec of that consortium version — the same
 *       Medication, the same 医保药品编码, or the same 通用名 + 剂型 + 规格 + 生产企业;</li>
 *   <li>a member formulary that moves to another consortium version must fit inside it.</li>
 * </ul>
 * Item rules run at HAPI's pre-commit point, where references inside a transaction bundle are
 * resolved; a refusal rolls the whole write back and answers HTTP 422 with a Chinese
 * OperationOutcome naming the product and the consortium version.
 */
@Component
@Interceptor
public class FormularyRulesInterceptor implements GatewayInterceptor {

  private static final String CACHE = FormularyRulesInterceptor.class.getName() + ".version:";

  /**
   * The member formulary whose import {@link CatalogImportService} has just checked row by row on
   * this thread (with row numbers in its report): its items need not be checked again one by one.
   */
  static final ThreadLocal<String> CHECKED_BY_IMPORT = new ThreadLocal<>();

  private final Formularies formularies;
  private final FormularyIndex index;

  public FormularyRulesInterceptor(Formularies formularies, FormularyIndex index) {
    this.formularies = formularies;
    this.index = index;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void creating(IBaseResource resource) {
    if (resource instanceof InsurancePlan plan) {
      checkPeriod(plan);
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updating(IBaseResource previous, IBaseResource resource) {
    if (resource instanceof InsurancePlan plan) {
      checkPeriod(plan);
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource, TransactionDetails transaction) {
    if (resource instanceof Basic basic) {
      checkItem(basic, transaction);
    } else if (resource instanceof InsurancePlan plan) {
      checkMemberPlan(plan, null, transaction);
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource, TransactionDetails transaction) {
    if (resource instanceof Basic basic) {
      checkItem(basic, transaction);
    } else if (resource instanceof InsurancePlan plan) {
      checkMemberPlan(plan, previous instanceof InsurancePlan old ? FormularyVersion.of(old) : null, transaction);
    }
  }

  void checkPeriod(InsurancePlan plan) {
    FormularyKind kind = FormularyKind.of(plan).orElse(null);
    FormularyPeriods.check(kind, plan.getPeriod()).ifPresent(v -> {
      throw FormularyOutcomes.unprocessable(
          (kind == null ? "目录" : kind.display()) + "“" + label(plan) + "”：" + v.chinese(),
          "InsurancePlan " + label(plan) + ": " + v.english());
    });
  }

  private void checkMemberPlan(InsurancePlan plan, FormularyVersion before, TransactionDetails transaction) {
    FormularyVersion member = FormularyVersion.of(plan);
    forget(member.id(), transaction);
    if (member.kind() != FormularyKind.MEMBER) {
      return;
    }
    FormularyVersion parent = requireParent(member, transaction);
    if (before != null && !Objects.equals(before.parentId(), member.parentId())) {
      // Moving to another consortium version: every listed item must be in the new one too.
      for (FormularyEntry item : index.entries(java.util.List.of(member.id()))) {
        if (item.active() && item.product() != null && index.findSameProduct(parent.id(), item.product()).isEmpty()) {
          throw outsideVersion(member, parent, item.product(), "Basic/" + item.itemId());
        }
      }
    }
  }

  private void checkItem(Basic basic, TransactionDetails transaction) {
    if (!FormularyResources.isFormularyItem(basic)) {
      return;
    }
    String formularyId = FormularyResources.formularyId(basic).orElseThrow();
    Optional<FormularyVersion> formulary = version(formularyId, transaction);
    if (formulary.isEmpty() || formulary.get().kind() != FormularyKind.MEMBER) {
      return;
    }
    FormularyVersion member = formulary.get();
    FormularyVersion parent = requireParent(member, transaction);
    if (member.id().equals(CHECKED_BY_IMPORT.get())) {
      return;
    }
    String medicationId = FormularyResources.idOf(basic.getSubject(), "Medication");
    String item = basic.getIdElement().toUnqualifiedVersionless().getValue();
    Medication medication = formularies.medication(medicationId).orElseThrow(() -> FormularyOutcomes.unprocessable(
        "成员单位目录“" + member.label() + "”的目录条目须以 subject 引用药品（Medication）",
        "formulary item " + item + " of member formulary " + member.reference() + " must reference a Medication as subject"));
    Product product = FormularyResources.toProduct(medication);
    if (index.findSameProduct(parent.id(), product).isEmpty()) {
      throw outsideVersion(member, parent, product, item);
    }
  }

  private static ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException outsideVersion(
      FormularyVersion member, FormularyVersion parent, Product product, String item) {
    return FormularyOutcomes.unprocessable(
        "品规“" + product.label() + "”不在医联体目录“" + parent.label() + "”中，不能列入成员单位目录“" + member.label()
            + "”：成员单位目录须在所属医联体目录范围内（同一药品，或通用名、剂型、规格、生产企业均相同，或医保药品编码相同）",
        "formulary item " + item + " of member formulary " + member.reference() + " names Medication/"
            + product.medicationId() + " (" + product.genericName() + " " + product.strength() + ", "
            + product.manufacturer() + "), which is not a product-spec of consortium version " + parent.reference()
            + (parent.identifier() == null ? "" : " (" + parent.identifier() + ")")
            + " (no item with the same Medication, NHSA drug code, or generic name + dosage form + strength + manufacturer)");
  }

  private FormularyVersion requireParent(FormularyVersion member, TransactionDetails transaction) {
    Optional<FormularyVersion> parent = member.parentId() == null ? Optional.empty() : version(member.parentId(), transaction);
    if (parent.isEmpty() || parent.get().kind() != FormularyKind.CONSORTIUM) {
      throw FormularyOutcomes.unprocessable(
          "成员单位目录“" + member.label() + "”须以 parent-formulary 指向其所在的医联体目录版本",
          "member formulary " + member.reference() + " must reference a consortium formulary version in parent-formulary"
              + (member.parentId() == null ? "" : " (InsurancePlan/" + member.parentId() + " is not one)"));
    }
    return parent.get();
  }

  /** Versions are read once per transaction: a 5,000-item import asks for the same one 5,000 times. */
  private Optional<FormularyVersion> version(String id, TransactionDetails transaction) {
    if (transaction == null) {
      return formularies.version(id);
    }
    Object cached = transaction.getUserData(CACHE + id);
    if (cached instanceof FormularyVersion v) {
      return Optional.of(v);
    }
    Optional<FormularyVersion> v = formularies.version(id);
    v.ifPresent(found -> transaction.putUserData(CACHE + id, found));
    return v;
  }

  private static void forget(String id, TransactionDetails transaction) {
    if (transaction != null) {
      transaction.putUserData(CACHE + id, null);
    }
  }

  private static String label(InsurancePlan plan) {
    return FormularyVersion.of(plan).label();
  }
}
