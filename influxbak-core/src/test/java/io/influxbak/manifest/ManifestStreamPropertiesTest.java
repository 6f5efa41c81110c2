package io.influxbak.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.SourceFinding.Severity;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A manifest generated as it is read ({@link ManifestFormat#stream}) is byte for byte what {@link
 * ManifestFormat#write} writes, however it is read, and each stream starts from the beginning.
 */
class ManifestStreamPropertiesTest {
  @Property(tries = 60)
  void streamYieldsWhatWriteWrites(@ForAll Random random) throws IOException {
    int entries = random.nextInt(1_201); // 256 entries a fill: most take several
    BackupManifest manifest = manifest(entries, random);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, written);

    byte[] first = readInPieces(ManifestFormat.stream(manifest), random);
    byte[] again = readInPieces(ManifestFormat.stream(manifest), random);

    assertThat(first).isEqualTo(written.toByteArray());
    assertThat(again).isEqualTo(first);
    Statistics.label("generated in more than one fill").collect(entries > 256);
    Statistics.label("generated in more than one fill")
        .coverage(c -> c.check(true).percentage(p -> p >= 50));
  }

  /** Reads the stream whole, in pieces of random sizes, single bytes among them. */
  private static byte[] readInPieces(InputStream in, Random random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (in) {
      byte[] buffer = new byte[70_000];
      while (true) {
        if (random.nextInt(20) == 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          out.write(b);
          continue;
        }
        int offset = random.nextInt(10);
        int n = in.read(buffer, offset, 1 + random.nextInt(buffer.length - offset - 1));
        if (n < 0) {
          break;
        }
        out.write(buffer, offset, n);
      }
      assertThat(in.read()).as("read again after the end").isEqualTo(-1);
    }
    return out.toByteArray();
  }

  private static BackupManifest manifest(int entries, Random random) {
    List<ManifestEntry> objects = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      ObjectKey key =
          ObjectKey.of(String.format("node0/dbs/db-1/t-2/2026-12-03/10-00/%010d.parquet", i));
      int size = random.nextInt(1 << 20);
      Optional<Checksum> crc32c = Optional.of(Checksum.crc32c(random.nextInt() & 0xffffffffL));
      objects.add(
          new ManifestEntry(
              key,
              ObjectKind.PARQUET,
              CopyPhase.PARQUET,
              size,
              crc32c,
              Optional.empty(),
              random.nextBoolean()
                  ? StoredCopy.plain(size, crc32c)
                  : new StoredCopy(Optional.of("b0"), Encoding.IDENTITY, size, crc32c)));
    }
    BackupManifest one = ManifestValidationTest.oneWalFile(Optional.empty());
    return one.completed(
        random.nextBoolean()
            ? List.of()
            : List.of(new SourceFinding(Severity.WARNING, one.entries().get(0).key(), "absent")),
        objects);
  }
}
