package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.DecryptionFailedException;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The objects a running backup has copied and verified, written in chunks under {@code
 * <backup-id>/journal/} so that a rerun of an interrupted backup skips them (a resumed backup).
 * Each chunk is a manifest-format document ({@link ManifestFormat}) listing the objects copied
 * since the last chunk; chunks are numbered and written only if absent, so a chunk is either whole
 * or missing. Journalling is best effort: a chunk that cannot be written is tried again with the
 * next, and what no chunk records is copied again on resume. The journal is deleted once the
 * manifest is written.
 */
@ThreadSafe
public final class BackupJournal {

  private static final Duration CHUNK_INTERVAL = Duration.ofSeconds(2);

  /** The most objects one journal chunk may list when read (writers put far fewer in one). */
  private static final int CHUNK_LIMIT = 100_000;

  private final ObjectStore store;
  private final KeyPrefix backupRoot;
  private final BackupManifest template;
  private final int chunkObjects;
  private final Optional<DataKey> dataKey;
  private final List<ManifestEntry> pending = new ArrayList<>();
  private int copiedPending;
  private final Stopwatch sinceFlush = Stopwatch.createStarted();
  private int nextChunk;

  /**
   * @param template the backup's identity (id, product, nodes, source); its entries are ignored
   * @param nextChunk the number of the first chunk this run writes (after those of interrupted
   *     runs)
   * @param chunkObjects a chunk is written after this many copied objects, or {@link
   *     #CHUNK_INTERVAL}, whichever comes first
   * @param dataKey the key chunks are encrypted with, for an encrypted backup
   */
  BackupJournal(
      ObjectStore store,
      BackupManifest template,
      int nextChunk,
      int chunkObjects,
      Optional<DataKey> dataKey) {
    this.chunkObjects = chunkObjects;
    this.dataKey = dataKey;
    this.store = store;
    this.backupRoot = KeyPrefix.of(template.backupId());
    this.template = template;
    this.nextChunk = nextChunk;
  }

  /**
   * Records a copied or reused object; writes a chunk when one is due: after {@code chunkObjects}
   * copied objects or the interval. Reused objects ride along without counting: a resume that lost
   * them only looks them up in the earlier backup again, and an unchanged incremental of a million
   * objects would otherwise write (and later delete) a thousand chunks, one request each. (A backup
   * records only the reuses it verified by reading the source; see {@code BackupCopies}.)
   */
  public synchronized void record(ManifestEntry object) {
    pending.add(object);
    copiedPending += object.reused() ? 0 : 1;
    if (copiedPending >= chunkObjects
        || sinceFlush.elapsed(TimeUnit.MILLISECONDS) >= CHUNK_INTERVAL.toMillis()) {
      tryFlush();
    }
  }

  /** Writes what is pending, if it can; a failure leaves it pending. */
  public synchronized void tryFlush() {
    try {
      flush();
    } catch (IOException e) {
      // Best effort: resume copies again what no chunk records.
    }
  }

  private void flush() throws IOException {
    sinceFlush.reset().start();
    if (pending.isEmpty()) {
      return;
    }
    writeChunk(
        store, template, chunkKey(backupRoot, nextChunk), pending, dataKey, WriteMode.CREATE_NEW);
    nextChunk++;
    pending.clear();
    copiedPending = 0;
  }

  /**
   * Records {@code entries} in the journal of the backup {@code template} names, in a chunk of its
   * own named {@code name} ({@code <backup-id>/journal/<name>.json}): how a copy task run elsewhere
   * records what it copied, so that a resume of the backup keeps it. The chunk is replaced if it
   * exists (a task tried again records again under its name, never twice). A resume reads it with
   * the numbered chunks; the names sort after theirs.
   *
   * @param name a single key segment, not eight digits (those are the numbered chunks' names)
   * @return the chunk's key
   */
  public static ObjectKey recordTask(
      ObjectStore store, BackupManifest template, String name, List<ManifestEntry> entries)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(template, "template is null");
    requireNonNull(entries, "entries is null");
    if (requireNonNull(name, "name is null").matches("[0-9]{8}")) {
      throw new IllegalArgumentException("A task's chunk name is not a number: " + name);
    }
    ObjectKey key =
        KeyPrefix.of(template.backupId()).resolve(BackupRepository.JOURNAL_FOLDER + name + ".json");
    writeChunk(store, template, key, entries, Optional.empty(), WriteMode.REPLACE);
    return key;
  }

  private static void writeChunk(
      ObjectStore store,
      BackupManifest template,
      ObjectKey key,
      List<ManifestEntry> entries,
      Optional<DataKey> dataKey,
      WriteMode mode)
      throws IOException {
    BackupManifest chunk =
        new BackupManifest(
            ManifestFormat.CURRENT_VERSION,
            template.backupId(),
            template.createdAt(),
            template.libraryVersion(),
            template.product(),
            template.nodes(),
            template.cluster(),
            template.pinnedSnapshotSequence(),
            template.source(),
            template.options(),
            Optional.empty(),
            entries);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = SealedRecords.seal(bytes, dataKey, key)) {
      ManifestFormat.writeCompact(chunk, out);
    }
    store.write(key, ObjectContent.ofBytes(bytes.toByteArray()), mode);
  }

  /**
   * What the journal of {@code backupId} records, by node key (later chunks win), and the number
   * the next chunk takes.
   */
  static Recorded recorded(ObjectStore store, BackupKeys keys, BackupId backupId)
      throws IOException {
    TreeMap<String, ObjectKey> chunks = chunks(store, backupId);
    int last = 0;
    for (String name : chunks.keySet()) {
      if (name.matches("[0-9]{8}\\.json")) {
        last = Math.max(last, Integer.parseInt(name.substring(0, 8)));
      }
    }
    Map<ObjectKey, ManifestEntry> recorded = new HashMap<>();
    for (ManifestEntry entry : read(store, keys, backupId, chunks)) {
      recorded.put(entry.key(), entry);
    }
    return new Recorded(recorded, last + 1);
  }

  /** The journal chunks of {@code backupId}, by name (so in chunk order). */
  static TreeMap<String, ObjectKey> chunks(ObjectStore store, BackupId backupId)
      throws IOException {
    TreeMap<String, ObjectKey> chunks = new TreeMap<>();
    try (ObjectIterator listing =
        store.list(backupId.root().resolvePrefix(BackupRepository.JOURNAL_FOLDER))) {
      while (listing.hasNext()) {
        ObjectKey key = listing.next().key();
        chunks.put(key.name(), key);
      }
    }
    return chunks;
  }

  /**
   * The entries of {@code chunks} of {@code backupId}, decrypted if sealed. A chunk that does not
   * read (or decrypt) is skipped: written only if absent, it is normally whole; if not, what it
   * lists is copied again.
   */
  static List<ManifestEntry> read(
      ObjectStore store, BackupKeys keys, BackupId backupId, TreeMap<String, ObjectKey> chunks)
      throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    for (ObjectKey chunk : chunks.values()) {
      try (InputStream in = SealedRecords.open(store, keys, backupId, chunk, store.open(chunk))) {
        entries.addAll(ManifestFormat.read(in, chunk.toString(), CHUNK_LIMIT).entries());
      } catch (ManifestException | ObjectNotFoundException | DecryptionFailedException e) {
        // skipped: what it lists counts as not copied
      }
    }
    return entries;
  }

  private static ObjectKey chunkKey(KeyPrefix backupRoot, int number) {
    return backupRoot.resolve(BackupRepository.JOURNAL_FOLDER + String.format("%08d.json", number));
  }

  /**
   * What a journal recorded.
   *
   * @param objects copied objects by node key
   * @param nextChunk the number the next chunk takes
   */
  public record Recorded(Map<ObjectKey, ManifestEntry> objects, int nextChunk) {
    public Recorded {
      objects = Map.copyOf(objects);
    }

    /**
     * Only what is still where the journal says, with the size it says: objects later removed are
     * not kept.
     */
    Recorded present(BackupRepository repository, BackupId backupId) throws IOException {
      Map<ObjectKey, ObjectInfo> stored = repository.storedObjects(backupId);
      Map<ObjectKey, ManifestEntry> kept = new HashMap<>();
      for (ManifestEntry object : objects.values()) {
        ObjectInfo info = stored.get(object.stored().key(object.key(), backupId.toString()));
        if (object.reused() || (info != null && info.size() == object.stored().size())) {
          kept.put(object.key(), object);
        }
      }
      return new Recorded(kept, nextChunk);
    }
  }
}
