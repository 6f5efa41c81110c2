package io.influxbak.restore;

import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The marker a restore writes in each prefix it restores before its first object and deletes after
 * its last: a restore that fails or is killed leaves it, so that {@code check} reports the node as
 * an incomplete restore and a rerun without {@code replaceExisting} is refused with the reason.
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
  static java.util.Optional<KeyPrefix> incomplete(ObjectStore target, List<KeyPrefix> prefixes)
      throws IOException {
    for (KeyPrefix prefix : prefixes) {
      if (target.stat(marker(prefix)).isPresent()) {
        return java.util.Optional.of(prefix);
      }
    }
    return java.util.Optional.empty();
  }
}
