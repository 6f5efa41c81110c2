package io.influxbak;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Maps;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of core, stated as rules that fail the build: packages by concept in layers, no
 * package cycle, no package holding more than its share of the code, and (in every module) no class
 * over 400 lines. The adapters' rule (they use only {@code store}) is {@code
 * AdapterArchitectureTest} in {@code examples}, where every adapter is on the class path.
 */
class ArchitectureTest {
  private static final String ROOT = "io.influxbak";
  private static final Path SOURCES = Path.of("src/main/java/io/influxbak");

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  /**
   * Lower layers never reach up: the store SPI knows nothing of InfluxDB, encryption nothing of
   * backups; the layout and the formats know nothing of copying; the copy engine knows nothing of
   * backups; only the operations (backup, restore, verify, retention) sit on the repository. Leases
   * sit on the store alone and serve the repository (which reserves their prefix) and the
   * operations that change a store.
   */
  @Test
  void layers_onlyReachDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("store")
        .definedBy(ROOT + ".store..")
        .layer("encryption")
        .definedBy(ROOT + ".encryption..")
        .layer("layout")
        .definedBy(ROOT + ".layout..")
        .layer("formats")
        .definedBy(ROOT + ".snapshot..", ROOT + ".manifest..")
        .layer("consistency")
        .definedBy(ROOT + ".consistency..")
        .layer("transfer")
        .definedBy(ROOT + ".transfer..")
        .layer("lease")
        .definedBy(ROOT + ".lease..")
        .layer("repository")
        .definedBy(ROOT + ".repository..")
        .layer("pin")
        .definedBy(ROOT + ".pin..")
        .layer("task")
        .definedBy(ROOT + ".task..")
        .layer("operations")
        .definedBy(
            ROOT + ".backup..", ROOT + ".restore..", ROOT + ".verify..", ROOT + ".retention..")
        .whereLayer("operations")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("task")
        .mayOnlyBeAccessedByLayers("operations")
        .whereLayer("repository")
        .mayOnlyBeAccessedByLayers("task", "operations")
        .whereLayer("pin")
        .mayOnlyBeAccessedByLayers("operations")
        .whereLayer("lease")
        .mayOnlyBeAccessedByLayers("repository", "operations")
        .whereLayer("transfer")
        .mayOnlyBeAccessedByLayers("lease", "repository", "pin", "task", "operations")
        .whereLayer("consistency")
        .mayOnlyBeAccessedByLayers("operations")
        .whereLayer("formats")
        .mayOnlyBeAccessedByLayers(
            "consistency", "transfer", "repository", "pin", "task", "operations")
        .whereLayer("layout")
        .mayOnlyBeAccessedByLayers(
            "formats", "consistency", "transfer", "repository", "pin", "task", "operations")
        .whereLayer("encryption")
        .mayOnlyBeAccessedByLayers("formats", "transfer", "repository", "operations")
        .check(core);
  }

  /** The operations are independent of each other: none calls another's internals. */
  @Test
  void operations_doNotDependOnEachOther() {
    slices()
        .matching(ROOT + ".(backup|restore|verify|retention)..")
        .should()
        .notDependOnEachOther()
        .check(core);
  }

  @Test
  void packages_formNoCycle() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(core);
  }

  /** No package holds more than 15% of the main code (lines of the source files). */
  @Test
  void noPackage_holdsMoreThanFifteenPercentOfTheCode() throws IOException {
    Map<String, Long> lines = new TreeMap<>();
    long total = 0;
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        long count = lineCount(file);
        lines.merge(SOURCES.relativize(file.getParent()).toString(), count, Long::sum);
        total += count;
      }
    }
    assertThat(lines).as("packages under %s", SOURCES).hasSizeGreaterThan(5);
    for (Map.Entry<String, Long> p : lines.entrySet()) {
      assertThat(p.getValue() * 100.0 / total)
          .as(
              "share of the main code in package %s (%d of %d lines)",
              p.getKey(), p.getValue(), total)
          .isLessThanOrEqualTo(15.0);
    }
  }

  /**
   * No source file of any module's main code is over 400 lines (physical lines, comments included):
   * a class that grows past that is split by concept. The modules are found from the parent build,
   * so a new module is covered without listing it here.
   */
  @Test
  void noClassInAnyModule_isOverFourHundredLines() throws IOException {
    Path project = Path.of("..").toAbsolutePath().normalize();
    Map<Path, Long> files = new TreeMap<>();
    try (Stream<Path> modules = Files.list(project)) {
      for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> sources = Files.walk(main)) {
          sources
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(f -> files.put(project.relativize(f), lineCount(f)));
        }
      }
    }
    assertThat(files.keySet())
        .as("main sources found under %s", project)
        .anyMatch(f -> f.startsWith("influxbak-core"))
        .anyMatch(f -> f.startsWith("influxbak-s3"))
        .anyMatch(f -> f.startsWith("influxbak-cli"));
    assertThat(Maps.filterValues(files, lines -> lines > 400))
        .as("main source files over 400 lines")
        .isEmpty();
  }

  /** Every package of core says what it is for, with the nullness default, in package-info. */
  @Test
  void everyPackage_hasPackageInfoWithNullnessDefault() {
    for (String name : core.stream().map(JavaClass::getPackageName).distinct().sorted().toList()) {
      assertThat(core.getPackage(name).tryGetPackageInfo())
          .as("package-info of %s", name)
          .hasValueSatisfying(
              info ->
                  assertThat(
                          info.isAnnotatedWith(
                              javax.annotation.ParametersAreNonnullByDefault.class))
                      .isTrue());
    }
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
