package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The backups in one store, and every way a backup, restore, verify or prune reaches them: the
 * start and retired markers, the manifest (written last and only if absent), the journal of a
 * running backup, finding backups, and the checks on a backup's root before and after it is
 * written. Backups live side by side under {@code <backup-id>/}.
 */
@ThreadSafe
public final class BackupRepository {
  /** Written first under a backup's root, so that an interrupted backup is listed as incomplete. */
  public static final String STARTED_MARKER = "backup-started.json";

  /**
   * Written first when retention removes a backup, before its manifest is deleted: from then on the
   * backup is retired, never restored, and a later prune finishes removing it.
   */
  public static final String RETIRED_MARKER = "retired.json";

  /**
   * Under a backup's root, where a running backup records the objects it has copied and verified,
   * so that a rerun of an interrupted backup skips them.
   */
  public static final String JOURNAL_FOLDER = "journal/";

  /** Listings in flight at once when a backup's root is listed on a cloud store. */
  static final int REMOTE_LISTINGS = 16;

  private final ObjectStore store;
  private final BackupKeys keys;

  private BackupRepository(ObjectStore store, BackupKeys keys) {
    this.store = requireNonNull(store, "store is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /** The backups held in {@code store}, encrypted ones unreadable. */
  public static BackupRepository of(ObjectStore store) {
    return new BackupRepository(store, BackupKeys.NONE);
  }

  /** The backups held in {@code store}, encrypted ones read with {@code keys}. */
  public static BackupRepository of(ObjectStore store, BackupKeys keys) {
    return new BackupRepository(store, keys);
  }

  /** The store the backups live in. */
  public ObjectStore store() {
    return store;
  }

  /**
   * Whether {@code relative}, a key relative to a backup's root, is one of the backup's own records
   * rather than data.
   */
  public static boolean isRecord(String relative) {
    return relative.equals(ManifestFormat.FILE_NAME)
        || relative.equals(SealedRecords.KEY_RECORD)
        || relative.equals(STARTED_MARKER)
        || relative.equals(RETIRED_MARKER)
        || relative.startsWith(JOURNAL_FOLDER);
  }

  /** The version of this library, as manifests record it. */
  public static String libraryVersion() {
    return Markers.libraryVersion();
  }

  /**
   * Marks the start of {@code backupId} by the run {@code run}, only if absent: the marker is what
   * claims a backup id, so two runs never write into one root.
   */
  public void writeStarted(BackupId backupId, Instant startedAt, String run) throws IOException {
    Markers.writeStarted(store, backupId, startedAt, requireNonNull(run, "run is null"));
  }

  /**
   * Which run started {@code backupId} ({@link #writeStarted}); empty when its marker does not say.
   */
  public Optional<String> startedBy(BackupId backupId) throws IOException {
    return Markers.startedBy(store, backupId);
  }

  /**
   * Marks {@code backupId} retired as of {@code retiredAt} (only if absent: a marker already there
   * from an interrupted prune stays as it is).
   */
  public void writeRetired(BackupId backupId, Instant retiredAt) throws IOException {
    Markers.writeRetired(store, backupId, retiredAt);
  }

  /**
   * When {@code backupId} was started, from its start marker; empty when the marker is missing or
   * does not say (such a backup has no usable age).
   */
  public Optional<Instant> startedAt(BackupId backupId) throws IOException {
    return Markers.startedAt(store, backupId);
  }

  /** Creates the data key of {@code backupId} in its {@code key.json}, wrapped by {@code kek}. */
  public DataKey createDataKey(BackupId backupId, KeyEncryptionKey kek) throws IOException {
    return SealedRecords.create(store, keys, backupId, kek);
  }

  /**
   * The data key of {@code backupId}; empty when the backup is not encrypted.
   *
   * @throws EncryptionKeyException if it is encrypted and this repository's keys do not unwrap it
   */
  public Optional<DataKey> dataKey(BackupId backupId) throws IOException {
    return SealedRecords.find(store, keys, backupId);
  }

  /**
   * The data keys, by backup id, of the backups holding encrypted copies among {@code stored}
   * (listed by {@code backupId}); {@link EncryptionKeyException} if one does not unwrap.
   */
  public Map<String, DataKey> dataKeys(String backupId, Collection<StoredCopy> stored)
      throws IOException {
    return SealedRecords.dataKeys(store, keys, backupId, stored);
  }

  /** Whether {@code backupId} is encrypted (has a {@code key.json}); one request. */
  public boolean hasDataKey(BackupId backupId) throws IOException {
    return store.stat(backupId.root().resolve(SealedRecords.KEY_RECORD)).isPresent();
  }

  /**
   * Replaces the {@code key.json} of {@code backupId} with {@code dataKey} wrapped by {@code kek}
   * (a key rotation): the data key, so every object, stays as it is.
   */
  public void rewrapDataKey(BackupId backupId, DataKey dataKey, KeyEncryptionKey kek)
      throws IOException {
    SealedRecords.rewrap(store, backupId, dataKey, kek);
  }

  /**
   * Writes {@code manifest} as {@code <backup-id>/manifest.json}, only if absent, encrypted with
   * {@code dataKey} when given. Large manifests are staged in a temporary file rather than in
   * memory.
   */
  public ObjectInfo writeManifest(BackupManifest manifest, Optional<DataKey> dataKey)
      throws IOException {
    return SealedRecords.writeManifest(store, manifest, dataKey);
  }

  /**
   * The record {@code key} of {@code backupId} (its manifest, a journal chunk), decrypted if
   * sealed.
   */
  InputStream openRecord(BackupId backupId, ObjectKey key) throws IOException {
    return SealedRecords.open(store, keys, backupId, key, store.open(key));
  }

  /**
   * The manifest of {@code backupId}, or empty when the backup has none (it is incomplete).
   *
   * @throws ManifestException if the manifest exists but cannot be trusted
   */
  public Optional<BackupManifest> readManifest(BackupId backupId, int maxObjects)
      throws IOException {
    return readManifest(backupId, maxObjects, entry -> {});
  }

  /**
   * The manifest of {@code backupId} as {@link #readManifest(BackupId, int)} gives it, passing each
   * entry to {@code parsed} as it is read ({@link ManifestFormat#read(InputStream, String, int,
   * Consumer)}): if this throws, or finds no manifest, the entries passed are not the backup's.
   */
  public Optional<BackupManifest> readManifest(
      BackupId backupId, int maxObjects, Consumer<ManifestEntry> parsed) throws IOException {
    requireNonNull(parsed, "parsed is null");
    return SealedRecords.readManifest(store, keys, backupId, maxObjects, parsed);
  }

  /**
   * Whether the store holds {@code manifest} (ours, not another run's under the same id): the same
   * creation time and number of entries.
   */
  public boolean holdsManifest(BackupManifest manifest) throws IOException {
    Optional<BackupManifest> stored =
        readManifest(BackupId.of(manifest.backupId()), ManifestFormat.DEFAULT_MAX_OBJECTS);
    return stored.isPresent()
        && stored.get().createdAt().equals(manifest.createdAt())
        && stored.get().entries().size() == manifest.entries().size();
  }

  /** Whether {@code backupId} has its manifest and no retired marker. */
  public boolean isComplete(BackupId backupId) throws IOException {
    KeyPrefix root = backupId.root();
    return store.stat(root.resolve(RETIRED_MARKER)).isEmpty()
        && store.stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent();
  }

  /** Whether {@code backupId} was retired by a prune. */
  public boolean isRetired(BackupId backupId) throws IOException {
    return store.stat(backupId.root().resolve(RETIRED_MARKER)).isPresent();
  }

  /**
   * Starts the journal of a running backup; {@code template} names the backup (its entries are
   * ignored).
   *
   * @param nextChunk the number of the first chunk this run writes (after those of interrupted
   *     runs)
   * @param chunkObjects a chunk is written after this many objects, or every 2 seconds
   * @param dataKey the key chunks are encrypted with, for an encrypted backup
   */
  public BackupJournal startJournal(
      BackupManifest template, int nextChunk, int chunkObjects, Optional<DataKey> dataKey) {
    return new BackupJournal(store, template, nextChunk, chunkObjects, dataKey);
  }

  /**
   * The objects the journal of {@code backupId} records (a running or interrupted backup's copies
   * so far), in chunk order: a later entry for a key supersedes an earlier one. A chunk that does
   * not read is skipped: its objects count as not copied.
   */
  public List<ManifestEntry> readJournal(BackupId backupId) throws IOException {
    return BackupJournal.read(store, keys, backupId, BackupJournal.chunks(store, backupId));
  }

  /**
   * What interrupted runs of {@code backupId} recorded, by node key (later chunks win), and the
   * number the next chunk takes.
   */
  public BackupJournal.Recorded journal(BackupId backupId) throws IOException {
    return BackupJournal.recorded(store, keys, backupId);
  }

  /**
   * What the journal of {@code backupId} records that is still in its root with the recorded size:
   * what an interrupted run left for a resume.
   */
  public BackupJournal.Recorded presentInJournal(BackupId backupId) throws IOException {
    return journal(backupId).present(this, backupId);
  }

  /** Deletes the journal of {@code backupId}, once its manifest makes it redundant. */
  public void deleteJournal(BackupId backupId) throws IOException {
    deleteAll(keys(backupId.root().resolvePrefix(JOURNAL_FOLDER), key -> true));
  }

  /**
   * The backup {@code backupId} as an interrupted run left it: what its journal records that is
   * still in its root.
   *
   * @throws ResumeNotPossibleException if it does not exist, is complete or was retired
   */
  public BackupJournal.Recorded resumable(BackupId backupId) throws IOException {
    KeyPrefix root = backupId.root();
    String id = backupId.toString();
    if (store.stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent()) {
      throw new ResumeNotPossibleException(store.id(), id, "it is complete (it has a manifest)");
    }
    if (isRetired(backupId)) {
      throw new ResumeNotPossibleException(store.id(), id, "it was retired by a prune");
    }
    if (store.stat(root.resolve(STARTED_MARKER)).isEmpty()) {
      throw new ResumeNotPossibleException(
          store.id(), id, "no backup was started under that id (no " + STARTED_MARKER + ")");
    }
    return presentInJournal(backupId);
  }

  /** Fails unless nothing lies under {@code prefix} in {@code store}. */
  public static void requireEmpty(ObjectStore store, KeyPrefix prefix) throws IOException {
    List<ObjectKey> existing = firstKeys(store, prefix);
    if (!existing.isEmpty()) {
      throw new DestinationNotEmptyException(store.id(), prefix, existing);
    }
  }

  /** Up to ten keys under {@code prefix}: what an error or a preview shows of it. */
  public static List<ObjectKey> firstKeys(ObjectStore store, KeyPrefix prefix) throws IOException {
    List<ObjectKey> keys = new ArrayList<>();
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext() && keys.size() < 10) {
        keys.add(listing.next().key());
      }
    }
    return keys;
  }

  /**
   * The data objects (no records) under the root of {@code backupId}, by key: one listing, or on a
   * store whose listings are remote ({@link io.influxbak.store.StoreCapabilities#remoteListing}),
   * one per table and other prefix, {@value #REMOTE_LISTINGS} at a time ({@link ParallelListing}).
   */
  public Map<ObjectKey, ObjectInfo> storedObjects(BackupId backupId) throws IOException {
    KeyPrefix root = backupId.root();
    Map<ObjectKey, ObjectInfo> stored = new HashMap<>();
    // On a cloud store, one listing of a million objects is a thousand requests in a row: its
    // tables are listed at once instead, as the planner lists a node.
    for (ObjectInfo info :
        ParallelListing.list(
            store,
            root,
            1,
            REMOTE_LISTINGS,
            info -> isRecord(info.key().relativeTo(root)) ? null : info)) {
      stored.put(info.key(), info);
    }
    return stored;
  }

  /**
   * Removes from the root of {@code backupId} every data object not in {@code kept}: what
   * interrupted runs copied that a resumed run's plan no longer holds. The backup's own records
   * stay.
   */
  public void removeLeftovers(BackupId backupId, Set<ObjectKey> kept) throws IOException {
    KeyPrefix root = backupId.root();
    deleteAll(keys(root, key -> !kept.contains(key) && !isRecord(key.relativeTo(root))));
  }

  /** Deletes one object of a backup (a copy the backup no longer holds). */
  public void delete(ObjectKey key) throws IOException {
    store.delete(key);
  }

  private List<ObjectKey> keys(KeyPrefix prefix, Predicate<ObjectKey> filter) throws IOException {
    List<ObjectKey> keys = new ArrayList<>();
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext()) {
        ObjectKey key = listing.next().key();
        if (filter.test(key)) {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  private void deleteAll(List<ObjectKey> keys) throws IOException {
    for (ObjectKey key : keys) {
      store.delete(key);
    }
  }

  /**
   * The headers ({@link ManifestFormat#readHeader}) of the complete backups in the store: what
   * choosing a parent for an incremental backup needs, without reading every manifest's entries.
   * Finds the backups with a delimiter listing of the store's first level ({@link
   * ObjectStore#childPrefixes}) and two requests each.
   */
  public List<BackupManifest> completeHeaders() throws IOException {
    return new BackupListing(this).completeHeaders();
  }

  /**
   * Every backup in the store: the prefixes {@code <id>/} that hold a manifest (complete), a start
   * marker (incomplete) or a retired marker (retired). Finds them with a delimiter listing of the
   * store's first level and up to three requests each; reads each complete backup's manifest, and
   * lists incomplete and retired ones.
   */
  public List<BackupSummary> list() throws IOException {
    return new BackupListing(this).list();
  }
}
