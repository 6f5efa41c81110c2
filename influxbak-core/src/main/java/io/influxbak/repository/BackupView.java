package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.encryption.DataKey;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectReader;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.annotation.concurrent.ThreadSafe;

/**
 * A backup seen as the node data it holds: a reader whose keys are the node keys its entries list,
 * whose listing and stat answer from the entries (sizes and CRC32C of the objects' own bytes), and
 * whose reads find the stored bytes wherever the backup keeps them (in its own root or, for an
 * incremental backup, in an earlier backup's) and decompress them. What checks a node (the
 * consistency check, the derived-object rules) reads a backup through this, whatever its encoding
 * and references.
 */
@ThreadSafe
public final class BackupView implements ObjectReader {
  private final ObjectReader store;
  private final String backupId;
  private final ImmutableSortedMap<ObjectKey, ManifestEntry> entries;
  private final ImmutableMap<String, DataKey> dataKeys;

  private BackupView(
      ObjectReader store,
      String backupId,
      Collection<ManifestEntry> entries,
      Map<String, DataKey> dataKeys) {
    this.store = requireNonNull(store, "store is null");
    this.backupId = requireNonNull(backupId, "backupId is null");
    this.dataKeys = ImmutableMap.copyOf(dataKeys);
    ImmutableSortedMap.Builder<ObjectKey, ManifestEntry> byKey = ImmutableSortedMap.naturalOrder();
    entries.forEach(e -> byKey.put(e.key(), e));
    this.entries = byKey.buildOrThrow();
  }

  /** The complete unencrypted backup {@code manifest} describes, held in {@code store}. */
  public static BackupView of(ObjectReader store, BackupManifest manifest) {
    return new BackupView(store, manifest.backupId(), manifest.entries(), ImmutableMap.of());
  }

  /**
   * The complete backup {@code manifest} describes, held in {@code store}; its encrypted copies
   * read with {@code dataKeys} ({@link BackupRepository#dataKeys}).
   */
  public static BackupView of(
      ObjectReader store, BackupManifest manifest, Map<String, DataKey> dataKeys) {
    return new BackupView(store, manifest.backupId(), manifest.entries(), dataKeys);
  }

  /**
   * A backup, complete or still being written, whose objects so far are {@code entries}; its
   * encrypted copies read with {@code dataKeys}.
   */
  public static BackupView of(
      ObjectReader store,
      String backupId,
      Collection<ManifestEntry> entries,
      Map<String, DataKey> dataKeys) {
    return new BackupView(store, backupId, entries, dataKeys);
  }

  @Override
  public StoreId id() {
    StoreId id = store.id();
    return new StoreId(
        id.scheme(),
        id.container(),
        id.rootPrefix()
            + (id.rootPrefix().isEmpty() || id.rootPrefix().endsWith("/") ? "" : "/")
            + backupId);
  }

  @Override
  public StoreCapabilities capabilities() {
    return new StoreCapabilities(
        ImmutableSet.of(ChecksumAlgorithm.CRC32C),
        ImmutableSet.of(ChecksumAlgorithm.CRC32C),
        false);
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) {
    Iterator<ManifestEntry> it =
        entries.values().stream().filter(e -> e.key().isUnder(prefix)).iterator();
    return new ObjectIterator() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ObjectInfo next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return info(it.next());
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) {
    return Optional.ofNullable(entries.get(key)).map(BackupView::info);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    ManifestEntry entry = entries.get(key);
    if (entry == null) {
      throw new ObjectNotFoundException(id(), key);
    }
    ObjectKey stored = entry.storedKey(backupId);
    return entry
        .stored()
        .encoding()
        .decode(
            store.open(stored),
            stored.toString(),
            Optional.ofNullable(dataKeys.get(entry.stored().holder(backupId))));
  }

  private static ObjectInfo info(ManifestEntry entry) {
    return new ObjectInfo(
        entry.key(),
        entry.size(),
        Optional.empty(),
        Optional.empty(),
        entry.crc32c().map(ImmutableSet::<Checksum>of).orElse(ImmutableSet.of()));
  }
}
