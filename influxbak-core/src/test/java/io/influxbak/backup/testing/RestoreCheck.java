package io.influxbak.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.SortedMap;

/** What a backup must restore to, captured when it completes, and the check that it still does. */
public final class RestoreCheck {
  private RestoreCheck() {}

  /**
   * The bytes of every object {@code manifest} lists, read from {@code source} now: right after the
   * backup completed, with nothing written since, they are what a restore must give back.
   */
  public static SortedMap<ObjectKey, byte[]> expected(ObjectStore source, BackupManifest manifest)
      throws IOException {
    ImmutableSortedMap.Builder<ObjectKey, byte[]> expected = ImmutableSortedMap.naturalOrder();
    for (ManifestEntry entry : manifest.entries()) {
      try (InputStream in = source.open(entry.key())) {
        expected.put(entry.key(), in.readAllBytes());
      }
    }
    return expected.build();
  }

  /**
   * Restores {@code backupId} from {@code backups} into a new store and asserts it holds exactly
   * {@code expected}, byte for byte.
   */
  public static RestoreResult assertRestores(
      ObjectStore backups, String backupId, Map<ObjectKey, byte[]> expected) throws IOException {
    return assertRestores(backups, backupId, expected, RestoreOptions.defaults());
  }

  /** Like {@link #assertRestores(ObjectStore, String, Map)}, restoring with {@code options}. */
  public static RestoreResult assertRestores(
      ObjectStore backups, String backupId, Map<ObjectKey, byte[]> expected, RestoreOptions options)
      throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    RestoreResult result = RestorePlan.of(backupId).withOptions(options).execute(backups, target);
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
        .as("keys restored from %s", backupId)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<ObjectKey, byte[]> object : expected.entrySet()) {
      assertThat(target.bytes(object.getKey()))
          .as("%s restored from %s", object.getKey(), backupId)
          .hasValue(object.getValue());
    }
    return result;
  }
}
