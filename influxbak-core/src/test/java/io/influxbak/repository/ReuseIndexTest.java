package io.influxbak.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.CopyStep;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an incremental backup keeps of its parent's entries, on key and size. */
class ReuseIndexTest {
  private static final ObjectKey KEY =
      ObjectKey.of("node0/dbs/db-1/t-2/2026-12-03/10-00/0000000001.parquet");
  private static final CopyStep STEP = new CopyStep(KEY, ObjectKind.PARQUET, CopyPhase.PARQUET, 8);
  private static final Optional<Checksum> CRC = Optional.of(Checksum.crc32c(0x1234L));

  @Test
  void parentCopiedIt_theEntryNamesTheParentAsItsHolder() throws IOException {
    ManifestEntry copiedByParent =
        new ManifestEntry(
            KEY, ObjectKind.PARQUET, CopyPhase.PARQUET, 8, CRC, Optional.empty(), plain());

    ManifestEntry kept = find(copiedByParent).orElseThrow();

    assertThat(kept.stored().backupId()).contains("b1");
    assertThat(kept.stored().size()).isEqualTo(8);
    assertThat(kept.crc32c()).isEqualTo(CRC);
  }

  @Test
  void parentReusedIt_theParentsEntryAsItIs() throws IOException {
    ManifestEntry reusedByParent = reusedFromB0(8);

    assertThat(find(reusedByParent)).containsSame(reusedByParent);
  }

  @Test
  void sizeChanged_nothingKept() throws IOException {
    assertThat(find(reusedFromB0(9))).isEmpty();
  }

  private static StoredCopy plain() {
    return StoredCopy.plain(8, CRC);
  }

  /** An entry of {@code size} bytes that the parent reused from backup b0. */
  private static ManifestEntry reusedFromB0(long size) {
    return new ManifestEntry(
        KEY,
        ObjectKind.PARQUET,
        CopyPhase.PARQUET,
        size,
        CRC,
        Optional.empty(),
        new StoredCopy(Optional.of("b0"), Encoding.IDENTITY, size, CRC));
  }

  /** What a run whose parent {@code b1} lists {@code earlier} keeps of the 8-byte source object. */
  private static Optional<ManifestEntry> find(ManifestEntry earlier) throws IOException {
    ReuseIndex index = new ReuseIndex(Map.of(), Optional.of("b1"), Map.of(KEY, earlier), false);
    return index.find(STEP, new InMemoryObjectStore(), KEY, 8, Hashes.CRC32C);
  }
}
