package io.influxbak.repository;

import com.google.common.base.Stopwatch;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
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
import java.util.Optional;
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

  private final ObjectStore store;
  private final KeyPrefix backupRoot;
  private final BackupManifest template;
  private final int chunkObjects;
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
   */
  BackupJournal(ObjectStore store, BackupManifest template, int nextChunk, int chunkObjects) {
    this.chunkObjects = chunkObjects;
    this.store = store;
    this.backupRoot = KeyPrefix.of(template.backupId());
    this.template = template;
    this.nextChunk = nextChunk;
  }

  /**
   * Records a copied or reused object; writes a chunk when one is due: after {@code chunkObjects}
   * copied objects or the interval. Reused objects ride along without counting: a resume that lost
   * them only looks them up in the earlier backup again, and an unchanged incremental of a million
   * objects would otherwise write (and later delete) a thousand chunks, one request each.
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
            pending);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ManifestFormat.writeCompact(chunk, bytes);
    store.write(
        chunkKey(backupRoot, nextChunk),
        ObjectContent.ofBytes(bytes.toByteArray()),
        WriteMode.CREATE_NEW);
    nextChunk++;
    pending.clear();
    copiedPending = 0;
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
