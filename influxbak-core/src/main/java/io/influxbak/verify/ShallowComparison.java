package io.influxbak.verify;

import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a shallow verify compares for one stored object, without reading it: its size, its content
 * by the store's native CRC32C where the store and the object have one, and, on the file system,
 * its modification time against the backup's completion. It counts the objects whose content it
 * could not compare, by reason, so that the verdict says what it compared.
 */
final class ShallowComparison {
  /** Modification-time granularity of common file systems (FAT: 2 s). */
  private static final Duration MTIME_GRANULARITY = Duration.ofSeconds(2);

  private final ObjectStore store;
  private final RetryPolicy retry;
  private final Instant completedAt;
  private final boolean statHasCrc;
  private final boolean localClock;
  private final Map<String, Long> notCompared = new TreeMap<>();

  /**
   * @param completedAt when the backup completed (its manifest's time)
   */
  ShallowComparison(ObjectStore store, RetryPolicy retry, Instant completedAt) {
    this.store = store;
    this.retry = retry;
    this.completedAt = completedAt;
    this.statHasCrc = store.capabilities().statChecksums().contains(ChecksumAlgorithm.CRC32C);
    // The manifest's time and a file's modification time come from the same machine's clock; an
    // object store's times come from the service's, which may be skewed from the writer's.
    this.localClock = store.id().scheme().equals("file");
  }

  /** Compares the stored object {@code info} (at {@code key}) with {@code stored}. */
  void compare(ObjectKey key, ObjectInfo info, StoredCopy stored, List<VerifyFinding> findings)
      throws IOException {
    if (info.size() != stored.size()) {
      findings.add(
          new VerifyFinding(
              key,
              VerifyFinding.Problem.SIZE_MISMATCH,
              "size " + info.size() + ", manifest says " + stored.size()));
      return;
    }
    if (localClock
        && info.lastModified().isPresent()
        && info.lastModified().get().isAfter(completedAt.plus(MTIME_GRANULARITY))) {
      findings.add(
          new VerifyFinding(
              key,
              VerifyFinding.Problem.CHANGED_AFTER_BACKUP,
              "modified at "
                  + info.lastModified().get()
                  + ", after the backup completed at "
                  + completedAt));
    }
    Optional<Checksum> crc = info.checksum(ChecksumAlgorithm.CRC32C);
    if (crc.isEmpty() && statHasCrc && stored.crc32c().isPresent()) {
      // Some stores give checksums on a stat only, not in listings.
      crc =
          Retries.retrying(retry, "verify", () -> store.stat(key))
              .flatMap(i -> i.checksum(ChecksumAlgorithm.CRC32C));
    }
    if (stored.crc32c().isEmpty()) {
      notCompared.merge("the manifest records no CRC32C", 1L, Long::sum);
    } else if (crc.isEmpty()) {
      notCompared.merge(
          statHasCrc
              ? "the store holds no CRC32C for it (written without one)"
              : "the store keeps no checksums (" + store.id().scheme() + ")",
          1L,
          Long::sum);
    } else if (!crc.equals(stored.crc32c())) {
      findings.add(
          new VerifyFinding(
              key,
              VerifyFinding.Problem.CHECKSUM_MISMATCH,
              "store's " + crc.get() + ", manifest says " + stored.crc32c().get()));
    }
  }

  /** Objects whose content was not compared, by reason. */
  ImmutableSortedMap<String, Long> notCompared() {
    return ImmutableSortedMap.copyOf(notCompared);
  }
}
