package io.influxbak.plan;

import com.google.common.base.Stopwatch;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.Manifests;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The objects a running backup has copied and verified, written in chunks under {@code
 * <backup-id>/journal/} so that a rerun of an interrupted backup skips them ({@link
 * BackupOptions.Builder#resume}). Each chunk is a manifest-format document ({@link ManifestFormat})
 * listing the objects copied since the last chunk; chunks are numbered and written only if absent,
 * so a chunk is either whole or missing. Journalling is best effort: a chunk that cannot be written
 * is tried again with the next, and what no chunk records is copied again on resume. The journal is
 * deleted once the manifest is written.
 */
@ThreadSafe
final class BackupJournal {

  private static final Duration CHUNK_INTERVAL = Duration.ofSeconds(5);

  private final ObjectStore store;
  private final KeyPrefix backupRoot;
  private final BackupManifest template;
  private final int chunkObjects;
  private final List<ManifestEntry> pending = new ArrayList<>();
  private final Stopwatch sinceFlush = Stopwatch.createStarted();
  private int nextChunk;

  /**
   * @param template the backup's identity (id, product, nodes, source); its entries are ignored
   * @param nextChunk the number of the first chunk this run writes (after those of interrupted
   *     runs)
   * @param chunkObjects a chunk is written after this many objects, or {@link #CHUNK_INTERVAL},
   *     whichever comes first
   */
  BackupJournal(ObjectStore store, BackupManifest template, int nextChunk, int chunkObjects) {
    this.chunkObjects = chunkObjects;
    this.store = store;
    this.backupRoot = KeyPrefix.of(template.backupId());
    this.template = template;
    this.nextChunk = nextChunk;
  }

  /** Records a copied object; writes a chunk when one is due. */
  synchronized void record(CopiedObject object) {
    pending.add(object.toEntry());
    if (pending.size() >= chunkObjects
        || sinceFlush.elapsed(TimeUnit.MILLISECONDS) >= CHUNK_INTERVAL.toMillis()) {
      tryFlush();
    }
  }

  /** Writes what is pending, if it can; a failure leaves it pending. */
  synchronized void tryFlush() {
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
            pending);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ManifestFormat.writeCompact(chunk, bytes);
    store.write(
        chunkKey(backupRoot, nextChunk),
        ObjectContent.ofBytes(bytes.toByteArray()),
        WriteMode.CREATE_NEW);
    nextChunk++;
    pending.clear();
  }

  private static ObjectKey chunkKey(KeyPrefix backupRoot, int number) {
    return backupRoot.resolve(Manifests.JOURNAL_FOLDER + String.format("%08d.json", number));
  }

  /**
   * What interrupted runs of {@code backupId} recorded, by node key (later chunks win), and the
   * number the next chunk takes. A chunk that does not read is ignored: its objects are copied
   * again.
   */
  static Recorded read(ObjectStore store, String backupId) throws IOException {
    int last = 0;
    try (ObjectIterator listing =
        store.list(KeyPrefix.of(backupId).resolvePrefix(Manifests.JOURNAL_FOLDER))) {
      while (listing.hasNext()) {
        String name = listing.next().key().name();
        if (name.matches("[0-9]{8}\\.json")) {
          last = Math.max(last, Integer.parseInt(name.substring(0, 8)));
        }
      }
    }
    Map<ObjectKey, CopiedObject> recorded = new HashMap<>();
    for (ManifestEntry entry : Manifests.readJournal(store, backupId)) {
      recorded.put(entry.key(), CopiedObject.of(entry));
    }
    return new Recorded(recorded, last + 1);
  }

  /** Deletes the journal of {@code backupId}, once its manifest makes it redundant. */
  static void delete(ObjectStore store, String backupId) throws IOException {
    List<ObjectKey> chunks = new ArrayList<>();
    try (ObjectIterator listing =
        store.list(KeyPrefix.of(backupId).resolvePrefix(Manifests.JOURNAL_FOLDER))) {
      while (listing.hasNext()) {
        chunks.add(listing.next().key());
      }
    }
    for (ObjectKey chunk : chunks) {
      store.delete(chunk);
    }
  }

  /**
   * What a journal recorded.
   *
   * @param objects copied objects by node key
   * @param nextChunk the number the next chunk takes
   */
  record Recorded(Map<ObjectKey, CopiedObject> objects, int nextChunk) {
    Recorded {
      objects = Map.copyOf(objects);
    }

    /**
     * Only what is still where the journal says, with the size it says: objects later removed are
     * not kept.
     */
    Recorded present(ObjectStore store, String backupId) throws IOException {
      Map<ObjectKey, Long> sizes = new HashMap<>();
      try (ObjectIterator listing = store.list(KeyPrefix.of(backupId))) {
        while (listing.hasNext()) {
          ObjectInfo info = listing.next();
          sizes.put(info.key(), info.size());
        }
      }
      Map<ObjectKey, CopiedObject> kept = new HashMap<>();
      for (CopiedObject object : objects.values()) {
        if (object.reused()
            || Long.valueOf(object.stored().size())
                .equals(sizes.get(object.stored().key(object.key(), backupId)))) {
          kept.put(object.key(), object);
        }
      }
      return new Recorded(kept, nextChunk);
    }
  }
}
