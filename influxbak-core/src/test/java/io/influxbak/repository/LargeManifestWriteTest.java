package io.influxbak.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.Product;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A manifest too large to hold in memory is written as generated, not staged in a temporary file:
 * the store gets exactly the bytes {@link ManifestFormat#write} writes, and no file appears.
 */
class LargeManifestWriteTest {
  @Test
  void manifestPastTheMemoryLimit_generatedForTheStore_noTemporaryFile() throws IOException {
    BackupManifest manifest = manifest(60_000);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, expected);
    assertThat(expected.size()).as("past the 8 MiB held in memory").isGreaterThan(8 << 20);
    InMemoryObjectStore memory = new InMemoryObjectStore();
    List<Path> stagedDuringWrite = new ArrayList<>();
    ForwardingObjectStore store =
        new ForwardingObjectStore(memory) {
          @Override
          public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
              throws IOException {
            stagedDuringWrite.addAll(stagedManifests());
            return super.write(key, content, mode);
          }
        };
    List<Path> before = stagedManifests();

    ObjectInfo written = BackupRepository.of(store).writeManifest(manifest, Optional.empty());

    assertThat(written.size()).isEqualTo(expected.size());
    assertThat(memory.bytes(written.key())).hasValue(expected.toByteArray());
    assertThat(stagedDuringWrite).isEqualTo(before);
    assertThat(BackupRepository.of(memory).readManifest(BackupId.of("b1"), 100_000))
        .hasValueSatisfying(read -> assertThat(read.entries()).isEqualTo(manifest.entries()));
  }

  private static List<Path> stagedManifests() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("influxbak-manifest"))
          .sorted()
          .toList();
    }
  }

  private static BackupManifest manifest(int entries) {
    List<ManifestEntry> objects = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      objects.add(
          new ManifestEntry(
              ObjectKey.of(
                  String.format("node0/dbs/db-1/table-2/2026-12-03/10-00/%010d.parquet", i)),
              ObjectKind.PARQUET,
              CopyPhase.PARQUET,
              4096 + i,
              Optional.of(Checksum.crc32c(i)),
              Optional.empty(),
              StoredCopy.plain(4096 + i, Optional.of(Checksum.crc32c(i)))));
    }
    return new BackupManifest(
        ManifestFormat.CURRENT_VERSION,
        "b1",
        Instant.parse("2026-12-03T10:00:00Z"),
        "test",
        Product.CORE,
        List.of(NodeId.of("node0")),
        Optional.empty(),
        OptionalLong.of(7),
        "file:///data",
        Map.of(),
        Optional.of(List.of()),
        objects);
  }
}
