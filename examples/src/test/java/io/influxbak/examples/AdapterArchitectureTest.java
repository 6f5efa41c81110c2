package io.influxbak.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Store adapters translate SPI calls and decide nothing: of core they use the store SPI only, and
 * no adapter uses another. Checked here, where every adapter module is on the class path.
 */
class AdapterArchitectureTest {
  private static final JavaClasses ADAPTERS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The adapters' test-jars (their end-to-end tests, which drive whole backups) are on this
          // class path too, as jars ArchUnit's own option does not recognize as tests.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(
              "io.influxbak.store.fs",
              "io.influxbak.store.s3",
              "io.influxbak.store.azure",
              "io.influxbak.store.gcs");

  @Test
  void adapters_useOnlyTheStoreSpiOfCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.influxbak.layout..",
            "io.influxbak.snapshot..",
            "io.influxbak.manifest..",
            "io.influxbak.consistency..",
            "io.influxbak.transfer..",
            "io.influxbak.repository..",
            "io.influxbak.pin..",
            "io.influxbak.backup..",
            "io.influxbak.restore..",
            "io.influxbak.verify..",
            "io.influxbak.retention..",
            "io.influxbak.examples..",
            "io.influxbak.cli..")
        .check(ADAPTERS);
  }

  @Test
  void adapters_doNotUseEachOther() {
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("io.influxbak.store.(fs|s3|azure|gcs)..")
        .should()
        .notDependOnEachOther()
        .check(ADAPTERS);
  }
}
