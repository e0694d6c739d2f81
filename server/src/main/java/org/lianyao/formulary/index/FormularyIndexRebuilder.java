package org.lianyao.formulary.index;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Medication;
import org.lianyao.formulary.FormularyResources;
import org.lianyao.terminology.CodeSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the {@link FormularyIndex} from the FHIR store when their counts disagree at start —
 * a database that held formulary items before the index existed, or writes made while the index
 * was not maintained. Runs after the profile package and before the demo data.
 */
@Component
@Order(20)
public class FormularyIndexRebuilder implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(FormularyIndexRebuilder.class);
  private static final int PAGE = 500;

  private final DaoRegistry daos;
  private final FormularyIndex index;
  private final TransactionTemplate transactions;

  public FormularyIndexRebuilder(DaoRegistry daos, FormularyIndex index, PlatformTransactionManager transactionManager) {
    this.daos = daos;
    this.index = index;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  @Override
  public void run(ApplicationArguments args) {
    rebuildIfStale();
  }

  /** Rebuilds each table whose row count differs from its resources' count; returns true if one was. */
  public boolean rebuildIfStale() {
    boolean rebuilt = false;
    long medications = count(Medication.class, SearchParameterMap.newSynchronous());
    if (medications != index.productCount()) {
      log.info("Formulary index: {} products indexed but {} Medications stored; rebuilding",
          index.productCount(), medications);
      transactions.executeWithoutResult(s -> {
        index.clearProducts();
        each(Medication.class, new SearchParameterMap(), m -> index.putProduct(FormularyResources.toProduct(m), FormularyResources.keyIdentifier(m)));
      });
      rebuilt = true;
    }
    long items = count(Basic.class, itemSearch());
    if (items != index.itemCount()) {
      log.info("Formulary index: {} items indexed but {} formulary items stored; rebuilding", index.itemCount(), items);
      transactions.executeWithoutResult(s -> {
        index.clearItems();
        each(Basic.class, itemSearch(), b -> {
          if (FormularyResources.isFormularyItem(b)) {
            index.putItem(FormularyResources.toEntry(b));
          }
        });
      });
      rebuilt = true;
    }
    return rebuilt;
  }

  private static SearchParameterMap itemSearch() {
    return new SearchParameterMap().add(Basic.SP_CODE,
        new TokenParam(CodeSystems.FORMULARY_ITEM_TYPE, FormularyResources.FORMULARY_ITEM_CODE));
  }

  private long count(Class<? extends IBaseResource> type, SearchParameterMap map) {
    map.setLoadSynchronous(true);
    map.setSummaryMode(SummaryEnum.COUNT);
    map.setSearchTotalMode(SearchTotalModeEnum.ACCURATE);
    Integer size = daos.getResourceDao(type).search(map, new SystemRequestDetails()).size();
    return size == null ? 0 : size;
  }

  @SuppressWarnings("unchecked")
  private <T extends IBaseResource> void each(Class<T> type, SearchParameterMap map, Consumer<T> action) {
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    map.setSort(new SortSpec("_id"));
    IBundleProvider all = dao.search(map, new SystemRequestDetails());
    int done = 0;
    while (true) {
      var page = all.getResources(done, done + PAGE);
      if (page.isEmpty()) {
        break;
      }
      page.forEach(r -> action.accept((T) r));
      done += page.size();
    }
    log.info("Formulary index: {} {} indexed", done, type.getSimpleName());
  }
}
