package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The earlier backups an incremental backup reuses objects from ("holders"), and which of them are
 * gone from the store: a backup folder deleted by hand (as the InfluxDB docs' scripts rotate
 * folders) leaves every backup that reuses from it unrestorable. One listing request per holder.
 */
public final class ReuseHolders {
  private ReuseHolders() {}

  /** The holders of {@code entries}' reused objects, with how many objects each holds for them. */
  public static Map<String, Long> of(Collection<ManifestEntry> entries) {
    Map<String, Long> holders = new TreeMap<>();
    for (ManifestEntry entry : entries) {
      entry.stored().backupId().ifPresent(holder -> holders.merge(holder, 1L, Long::sum));
    }
    return holders;
  }

  /** The holders among {@code holderIds} under whose root {@code store} holds nothing at all. */
  public static TreeSet<String> gone(ObjectStore store, Collection<String> holderIds)
      throws IOException {
    requireNonNull(store, "store is null");
    TreeSet<String> gone = new TreeSet<>();
    for (String holder : holderIds) {
      if (BackupRepository.firstKeys(store, KeyPrefix.of(holder)).isEmpty()) {
        gone.add(holder);
      }
    }
    return gone;
  }

  /**
   * Why the complete backup {@code manifest} cannot be restored because a holder is gone, or empty
   * when every holder is there.
   */
  static Optional<String> broken(ObjectStore store, BackupManifest manifest) throws IOException {
    Map<String, Long> holders = of(manifest.entries());
    TreeSet<String> gone = gone(store, holders.keySet());
    if (gone.isEmpty()) {
      return Optional.empty();
    }
    long objects = gone.stream().mapToLong(holders::get).sum();
    return Optional.of(
        "reuses "
            + objects
            + " object(s) of backup(s) "
            + String.join(", ", gone)
            + ", gone from the store (deleted by hand?): it cannot be restored");
  }
}
