package org.lianyao.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.Dialect;
import org.lianyao.database.HapiDatabase;
import org.lianyao.database.HapiSchemaMigration;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * Wires HAPI FHIR's JPA server (R4) into Spring Boot: HAPI's own configuration classes, the
 * entity manager on Spring's DataSource, and the storage settings.
 */
@Configuration
@EnableTransactionManagement
@Import({
  JpaR4Config.class,
  ThreadPoolFactoryConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  SubscriptionSubmitterConfig.class,
  SubscriptionProcessorConfig.class,
  SubscriptionChannelConfig.class
})
public class HapiJpaConfig {

  /** HAPI's subscription matcher, skipping writes of types no subscription watches. */
  @Bean
  static SubscribedTypesOnlyMatcher.Replacement subscribedTypesOnlyMatcher() {
    return new SubscribedTypesOnlyMatcher.Replacement();
  }

  @Bean
  public HapiDatabase hapiDatabase(DataSourceProperties dataSourceProperties) {
    return HapiDatabase.fromJdbcUrl(dataSourceProperties.determineUrl());
  }

  /** Runs before the entity manager exists (it is a constructor argument of it). */
  @Bean
  public HapiSchemaMigration hapiSchemaMigration(DataSource dataSource, HapiDatabase database) {
    HapiSchemaMigration migration = new HapiSchemaMigration(dataSource, database);
    migration.migrate();
    return migration;
  }

  @Bean
  public JpaStorageSettings jpaStorageSettings(FhirServerProperties props) {
    JpaStorageSettings settings = new JpaStorageSettings();
    settings.setAllowExternalReferences(false);
    settings.setAutoCreatePlaceholderReferenceTargets(false);
    settings.setEnforceReferentialIntegrityOnWrite(true);
    settings.setEnforceReferentialIntegrityOnDelete(true);
    settings.setAllowMultipleDelete(false);
    settings.setDeleteExpungeEnabled(false);
    settings.setExpungeEnabled(false);
    // Conditional creates by identifier are how members resubmit idempotently: cache the lookups.
    settings.setMatchUrlCacheEnabled(true);
    settings.setReuseCachedSearchResultsForMillis(props.reuseCachedSearchResultsMillis());
    settings.setFetchSizeDefaultMaximum(props.maxPageSize() * 10);
    settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
    // meta.profile / tag / security live in the resource body: no tag rows to write and read back
    // with every resource (InlineTagStorage installs the _tag, _profile and _security parameters).
    settings.setTagStorageMode(JpaStorageSettings.TagStorageModeEnum.INLINE);
    // Pre-expansion into HAPI's term tables needs Hibernate Search (Lucene/Elasticsearch), which the
    // gateway does not run: its code tables are small and expand in memory on request.
    settings.setPreExpandValueSets(false);
    // HFJ_SPIDX_IDENTITY maps index hashes back to parameter names, for HAPI's storage-optimized
    // indexes (which leave the names out of the index rows). The gateway keeps the names in the rows
    // and nothing reads the table; HAPI filled it from a background thread, one transaction for each
    // of the ~3,600 parameter identities of a new database, plus any new one met while indexing.
    settings.setWriteToSearchParamIdentityTable(false);
    return settings;
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    SubscriptionSettings settings = new SubscriptionSettings();
    settings.addSupportedSubscriptionType(
        org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType.RESTHOOK);
    return settings;
  }

  /** No e-mail subscriptions: a no-op sender satisfies HAPI's delivery wiring. */
  @Bean
  public IEmailSender emailSender() {
    return details -> {};
  }

  @Bean
  public IBinaryStorageSvc binaryStorageSvc() {
    return new DatabaseBinaryContentStorageSvcImpl();
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      HapiSchemaMigration migratedSchema,
      HapiDatabase database,
      JpaProperties jpaProperties,
      DataSource dataSource,
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings) {
    LocalContainerEntityManagerFactoryBean emf =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
    Map<String, String> props = jpaProperties.getProperties();
    props.putIfAbsent(AvailableSettings.DIALECT, database.hibernateDialect());
    // The schema belongs to HAPI's migrator: Hibernate must never change it.
    props.put(AvailableSettings.HBM2DDL_AUTO, "none");
    props.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
    props.putIfAbsent(AvailableSettings.IMPLICIT_NAMING_STRATEGY,
        "org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy");
    props.putIfAbsent(AvailableSettings.PHYSICAL_NAMING_STRATEGY,
        "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy");
    props.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
    props.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
    props.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
    props.putIfAbsent("hibernate.search.enabled", "false");
    emf.setPersistenceUnitName("HAPI_PU");
    emf.setJpaPropertyMap(props);
    emf.setDataSource(dataSource);
    return emf;
  }

  @Bean
  @Primary
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  /** HAPI asks this for the dialect; it is the one chosen from the JDBC URL. */
  @Primary
  @Bean
  public HibernatePropertiesProvider hibernatePropertiesProvider(HapiDatabase database) {
    return new HibernatePropertiesProvider() {
      private final Dialect dialect = newDialect(database.hibernateDialect());

      @Override
      public Dialect getDialect() {
        return dialect;
      }
    };
  }

  private static Dialect newDialect(String className) {
    try {
      return (Dialect) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot create Hibernate dialect " + className, e);
    }
  }

  // Beans HAPI's HapiJpaConfig would give, declared here so the paging provider takes our sizes.
  // No IFulltextSearchSvc: the gateway runs without Hibernate Search, and HAPI's terminology service
  // expands ValueSets from its term tables only when that bean is absent (else it asks the missing index).

  @Bean
  public IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
    return new HSearchSortHelperImpl(searchParamRegistry);
  }

  @Bean
  public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
    return new StaleSearchDeletingSvcImpl();
  }

  @Bean
  public DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirServerProperties props) {
    DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
    paging.setDefaultPageSize(props.defaultPageSize());
    paging.setMaximumPageSize(props.maxPageSize());
    return paging;
  }

  @Bean
  public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
    return new DaoRegistryResourceSupportedSvc(daoRegistry);
  }

  @Bean(name = "myResourceCountsCache")
  public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
    return ResourceCountCacheUtil.newResourceCountCache(systemDao);
  }
}
