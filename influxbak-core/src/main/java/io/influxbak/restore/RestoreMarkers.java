package io.influxbak.restore;

import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The marker a restore writes in each prefix it restores before its first object and deletes after
 * its last: a restore that fails or is killed leaves it, so that {@code check} reports the node as
 * an incomplete restore, a rerun without {@code replaceExisting} is refused with the reason, and a
 * resumed one knows what it finishes.
 */
final class RestoreMarkers {
  private RestoreMarkers() {}

  static ObjectKey marker(KeyPrefix prefix) {
    return prefix.resolve(ConsistencyCheck.RESTORE_MARKER);
  }

  static void write(
      ObjectStore target, List<KeyPrefix> prefixes, String backupId, Instant at, RetryPolicy retry)
      throws IOException {
    byte[] body =
        ("{\"backupId\": \"" + backupId + "\", \"startedAt\": \"" + at + "\"}\n")
            .getBytes(StandardCharsets.UTF_8);
    for (KeyPrefix prefix : prefixes) {
      Retries.running(
          retry,
          "write the restore marker of " + prefix,
          () -> {
            target.write(marker(prefix), ObjectContent.ofBytes(body), WriteMode.REPLACE);
          });
    }
  }

  static void delete(ObjectStore target, List<KeyPrefix> prefixes, RetryPolicy retry)
      throws IOException {
    for (KeyPrefix prefix : prefixes) {
      Retries.running(
          retry,
          "delete the restore marker of " + prefix,
          () -> {
            target.delete(marker(prefix));
          });
    }
  }

  /** The first prefix among {@code prefixes} holding a marker: a restore there did not complete. */
  static java.util.Optional<KeyPrefix> incomplete(
      ObjectStore target, List<KeyPrefix> prefixes, RetryPolicy retry) throws IOException {
    for (KeyPrefix prefix : prefixes) {
      if (Retries.retrying(retry, "stat " + marker(prefix), () -> target.stat(marker(prefix)))
          .isPresent()) {
        return java.util.Optional.of(prefix);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * The steps of {@code planned} a resumed restore still has to copy: those whose object the target
   * lacks, or holds with another size or CRC32C than the backup's (one listing per prefix).
   */
  static List<CopyStep> notYetRestored(
      ObjectStore target, RestorePlanner.Planned planned, RetryPolicy retry) throws IOException {
    Map<ObjectKey, ObjectInfo> present = new HashMap<>();
    for (KeyPrefix prefix : planned.prefixes()) {
      Retries.running(
          retry,
          "list " + prefix,
          () -> {
            try (ObjectIterator listing = target.list(prefix)) {
              while (listing.hasNext()) {
                ObjectInfo info = listing.next();
                present.put(info.key(), info);
              }
            }
          });
    }
    List<CopyStep> remaining = new ArrayList<>();
    for (CopyStep step : planned.steps()) {
      ObjectInfo there = present.get(step.key());
      ExpectedContent expected = planned.expected().get(step.key());
      boolean restored =
          there != null
              && expected != null
              && there.size() == expected.size()
              && (expected.crc32c().isEmpty()
                  || there.checksum(ChecksumAlgorithm.CRC32C).isEmpty()
                  || there.checksum(ChecksumAlgorithm.CRC32C).equals(expected.crc32c()));
      if (!restored) {
        remaining.add(step);
      }
    }
    return remaining;
  }
}
