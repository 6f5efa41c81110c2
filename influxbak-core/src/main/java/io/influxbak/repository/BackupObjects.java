package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.ObjectKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every stored object a complete backup needs to be restored: what a lock must hold and what a
 * verify of the locks checks.
 */
public final class BackupObjects {
  private BackupObjects() {}

  /**
   * The stored copies {@code entries} name (in {@code backupId}'s root or the earlier backups it
   * reuses from), its start marker and manifest, and, for an encrypted backup, the {@code key.json}
   * of every backup holding one of its copies.
   */
  public static Set<ObjectKey> needed(
      BackupId backupId, List<ManifestEntry> entries, boolean encrypted) {
    requireNonNull(backupId, "backupId is null");
    String id = backupId.toString();
    Set<ObjectKey> keys = new LinkedHashSet<>();
    Set<String> holders = new LinkedHashSet<>();
    holders.add(id);
    for (ManifestEntry entry : entries) {
      keys.add(entry.storedKey(id));
      holders.add(entry.stored().holder(id));
    }
    keys.add(backupId.root().resolve(BackupRepository.STARTED_MARKER));
    keys.add(backupId.root().resolve(ManifestFormat.FILE_NAME));
    if (encrypted) {
      holders.forEach(holder -> keys.add(BackupId.of(holder).dataKeyRecord()));
    }
    return ImmutableSet.copyOf(keys);
  }
}
