package io.influxbak;

import com.google.common.reflect.ClassPath;
import com.google.common.testing.NullPointerTester;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every package declares {@code @ParametersAreNonnullByDefault}; this makes it true: every public
 * class's public static methods and constructors reject a null for each parameter not marked
 * {@code @Nullable}.
 */
class NullnessTest {
  static List<Class<?>> publicClasses() throws IOException {
    return ClassPath.from(NullnessTest.class.getClassLoader())
        .getTopLevelClassesRecursive("io.influxbak")
        .stream()
        .map(ClassPath.ClassInfo::load)
        .filter(c -> Modifier.isPublic(c.getModifiers()) && !c.isInterface() && !c.isEnum())
        .filter(
            c ->
                c.getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath()
                    .contains("/classes/"))
        .filter(c -> !c.getPackageName().contains("testing"))
        .toList();
  }

  @ParameterizedTest
  @MethodSource("publicClasses")
  void publicStaticMethodsAndConstructors_rejectNulls(Class<?> type) {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(ObjectKey.class, ObjectKey.of("node0/wal/00000000001.wal"))
            .setDefault(KeyPrefix.class, KeyPrefix.of("node0"))
            .setDefault(StoreId.class, new StoreId("memory", "test", ""))
            .setDefault(java.time.Clock.class, java.time.Clock.systemUTC())
            .setDefault(
                io.influxbak.lease.LeaseSettings.class, io.influxbak.lease.LeaseSettings.defaults())
            .setDefault(NodeId.class, NodeId.of("node0"))
            .setDefault(
                io.influxbak.layout.ClusterId.class, io.influxbak.layout.ClusterId.of("cluster0"))
            .setDefault(CopyPhase.class, CopyPhase.WAL)
            .setDefault(
                io.influxbak.transfer.TransferSettings.class,
                io.influxbak.transfer.TransferSettings.defaults())
            .setDefault(
                io.influxbak.manifest.StoredCopy.class,
                io.influxbak.manifest.StoredCopy.plain(0, java.util.Optional.empty()))
            .setDefault(ObjectKind.class, ObjectKind.WAL)
            .setDefault(
                io.influxbak.manifest.BackupManifest.class,
                new io.influxbak.manifest.BackupManifest(
                    1,
                    "b",
                    java.time.Instant.EPOCH,
                    "v",
                    io.influxbak.manifest.Product.CORE,
                    java.util.List.of(NodeId.of("node0")),
                    java.util.Optional.empty(),
                    java.util.OptionalLong.empty(),
                    "memory://x",
                    java.util.Map.of(),
                    java.util.Optional.empty(),
                    java.util.List.of()))
            .setDefault(
                io.influxbak.layout.NodeObject.class,
                io.influxbak.layout.CoreLayout.of(NodeId.of("node0"))
                    .classify(ObjectKey.of("node0/snapshots/18446744073709551614.info.json")))
            .setDefault(
                io.influxbak.layout.EnterpriseLayout.class,
                io.influxbak.layout.EnterpriseLayout.of(
                    io.influxbak.layout.ClusterId.of("cluster0"),
                    java.util.List.of(NodeId.of("node0")),
                    java.util.Optional.empty()))
            .setDefault(java.net.URI.class, java.net.URI.create("file:///tmp"))
            .setDefault(
                io.influxbak.transfer.Compression.class, io.influxbak.transfer.Compression.none())
            .setDefault(
                io.influxbak.transfer.CopySettings.class,
                new io.influxbak.transfer.CopySettings(
                    io.influxbak.store.WriteMode.CREATE_NEW,
                    io.influxbak.store.HashingInputStream.Hashes.CRC32C,
                    io.influxbak.transfer.RetryPolicy.NONE,
                    new io.influxbak.transfer.CancellationHandle(),
                    "test"))
            .setDefault(
                io.influxbak.repository.BackupId.class, io.influxbak.repository.BackupId.of("b"))
            .setDefault(
                io.influxbak.transfer.PhaseRunner.class,
                new io.influxbak.transfer.PhaseRunner(
                    Runnable::run, 1, new io.influxbak.transfer.CancellationHandle(), "test"))
            .setDefault(
                io.influxbak.transfer.ObjectCopier.class,
                new io.influxbak.transfer.ObjectCopier(
                    new io.influxbak.store.testing.InMemoryObjectStore(),
                    KeyPrefix.ROOT,
                    new io.influxbak.store.testing.InMemoryObjectStore(),
                    KeyPrefix.ROOT,
                    new io.influxbak.transfer.CopySettings(
                        io.influxbak.store.WriteMode.CREATE_NEW,
                        io.influxbak.store.HashingInputStream.Hashes.CRC32C,
                        io.influxbak.transfer.RetryPolicy.NONE,
                        new io.influxbak.transfer.CancellationHandle(),
                        "test")))
            .setDefault(
                io.influxbak.transfer.CopyStep.class,
                new io.influxbak.transfer.CopyStep(
                    ObjectKey.of("node0/wal/00000000001.wal"), ObjectKind.WAL, CopyPhase.WAL, 1))
            .setDefault(
                io.influxbak.store.StoreLocation.class,
                io.influxbak.store.StoreLocation.of(java.net.URI.create("file:///tmp")))
            .setDefault(
                io.influxbak.task.CopyJob.class,
                new io.influxbak.task.CopyJob(
                    "test",
                    io.influxbak.store.StoreLocation.of(java.net.URI.create("file:///tmp")),
                    io.influxbak.store.StoreLocation.of(java.net.URI.create("file:///tmp")),
                    KeyPrefix.ROOT,
                    new io.influxbak.task.CopyJob.Settings(
                        io.influxbak.store.WriteMode.CREATE_NEW,
                        io.influxbak.store.HashingInputStream.Hashes.CRC32C,
                        io.influxbak.transfer.Compression.none(),
                        io.influxbak.transfer.RetryPolicy.NONE,
                        1,
                        false),
                    java.util.Optional.empty()))
            .setDefault(
                io.influxbak.task.CopyJob.Settings.class,
                new io.influxbak.task.CopyJob.Settings(
                    io.influxbak.store.WriteMode.CREATE_NEW,
                    io.influxbak.store.HashingInputStream.Hashes.CRC32C,
                    io.influxbak.transfer.Compression.none(),
                    io.influxbak.transfer.RetryPolicy.NONE,
                    1,
                    false))
            .setDefault(
                io.influxbak.manifest.ManifestEntry.class,
                new io.influxbak.manifest.ManifestEntry(
                    ObjectKey.of("node0/wal/00000000001.wal"),
                    ObjectKind.WAL,
                    CopyPhase.WAL,
                    1,
                    java.util.Optional.empty(),
                    java.util.Optional.empty()))
            .setDefault(
                io.influxbak.store.ObjectNotFoundException.class,
                new io.influxbak.store.ObjectNotFoundException(
                    new StoreId("memory", "test", ""), ObjectKey.of("node0/wal/00000000001.wal")))
            .setDefault(
                com.fasterxml.jackson.databind.JsonNode.class,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
            .setDefault(com.fasterxml.jackson.core.JsonGenerator.class, newGenerator());
    tester.testAllPublicStaticMethods(type);
    tester.testAllPublicConstructors(type);
  }

  private static com.fasterxml.jackson.core.JsonGenerator newGenerator() {
    try {
      return new com.fasterxml.jackson.core.JsonFactory()
          .createGenerator(java.io.OutputStream.nullOutputStream());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
