package org.lianyao.conformance;

import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import java.util.Arrays;
import java.util.List;
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
 * the work when the stored package already has the same content, so restarts stay fast.
 */
@Component
@Order(10)
public class ProfilePackageInstaller implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(ProfilePackageInstaller.class);

  private final IPackageInstallerSvc installer;
  private final IHapiPackageCacheManager packageCache;
  private final ConformanceProperties properties;

  public ProfilePackageInstaller(IPackageInstallerSvc installer, IHapiPackageCacheManager packageCache,
      ConformanceProperties properties) {
    this.installer = installer;
    this.packageCache = packageCache;
    this.properties = properties;
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
    PackageInstallOutcomeJson outcome = installer.install(spec);
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
