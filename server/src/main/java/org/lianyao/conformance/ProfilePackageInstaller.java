package org.lianyao.conformance;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.Arrays;
import java.util.List;
import org.lianyao.fhir.SearchParameterReindex;
import org.lianyao.profiles.LianyaoPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Installs the Lianyao FHIR NPM package (built by the {@code profiles} module) into the JPA server
 * at start, so that its StructureDefinitions, SearchParameters, CodeSystems, ValueSets,
 * ConceptMaps and NamingSystems are served, searchable and usable by {@code $validate},
 * {@code $lookup}, {@code $expand} and {@code $translate}. It runs before the demo loader and skips
 * the work when the stored package already has the same content, so restarts stay fast. On a
 * database without resources of a parameter's types, no reindex job is queued
 * ({@link SearchParameterReindex}).
 */
@Component
@Order(10)
public class ProfilePackageInstaller implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(ProfilePackageInstaller.class);

  private final IPackageInstallerSvc installer;
  private final IHapiPackageCacheManager packageCache;
  private final ConformanceProperties properties;
  private final IInterceptorService interceptors;
  private final ISearchParamRegistry searchParamRegistry;
  private final SearchParameterReindex reindex;

  public ProfilePackageInstaller(IPackageInstallerSvc installer, IHapiPackageCacheManager packageCache,
      ConformanceProperties properties, IInterceptorService interceptors, ISearchParamRegistry searchParamRegistry,
      DaoRegistry daoRegistry) {
    this.installer = installer;
    this.packageCache = packageCache;
    this.properties = properties;
    this.interceptors = interceptors;
    this.searchParamRegistry = searchParamRegistry;
    this.reindex = new SearchParameterReindex(daoRegistry);
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!properties.installPackage()) {
      log.info("Lianyao FHIR package installation is off (lianyao.conformance.install-package=false)");
      return;
    }
    LianyaoPackage pkg = LianyaoPackage.get();
    if (alreadyInstalled(pkg)) {
      log.info("FHIR package {}#{} already installed with the same content", pkg.id(), pkg.version());
      return;
    }
    long start = System.currentTimeMillis();
    PackageInstallationSpec spec = new PackageInstallationSpec()
        .setName(pkg.id())
        .setVersion(pkg.version())
        .setPackageContents(pkg.tgz())
        .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
        // Nothing could fetch hl7.fhir.r4.core here: HAPI ships the core definitions itself.
        .setFetchDependencies(false);
    spec.setInstallResourceTypes(List.copyOf(pkg.conformanceResourceTypes()));
    spec.setReloadExisting(true);
    PackageInstallOutcomeJson outcome = reindex.duringInstallation(interceptors, () -> installer.install(spec));
    // Resources written from now on (the demo, clients) are indexed with the new parameters.
    searchParamRegistry.forceRefresh();
    log.info("Installed FHIR package {}#{} in {} ms: {}", pkg.id(), pkg.version(),
        System.currentTimeMillis() - start, outcome.getResourcesInstalled());
  }

  private boolean alreadyInstalled(LianyaoPackage pkg) {
    try {
      IHapiPackageCacheManager.PackageContents stored = packageCache.loadPackageContents(pkg.id(), pkg.version());
      return stored != null && Arrays.equals(stored.getBytes(), pkg.tgz());
    } catch (RuntimeException notInstalled) {
      return false;
    }
  }
}
