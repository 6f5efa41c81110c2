package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream;
import io.influxbak.transfer.HashingInputStream.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * Manifests in stores: writing one last and atomically, reading one, listing the backups of a
 * store.
 */
public final class Manifests {
  /** Written first under a backup's root, so that an interrupted backup is listed as incomplete. */
  public static final String STARTED_MARKER = "backup-started.json";

  /**
   * Written first when retention removes a backup, before its manifest is deleted: from then on the
   * backup is retired, never restored, and a later prune finishes removing it.
   */
  public static final String RETIRED_MARKER = "retired.json";

  /**
   * Under a backup's root, where a running backup records the objects it has copied and verified,
   * so that a rerun of an interrupted backup skips them ({@link
   * io.influxbak.plan.BackupOptions.Builder#resume}).
   */
  public static final String JOURNAL_FOLDER = "journal/";

  /**
   * Whether {@code relative}, a key relative to a backup's root, is one of the backup's own records
   * rather than data.
   */
  public static boolean isRecord(String relative) {
    return relative.equals(ManifestFormat.FILE_NAME)
        || relative.equals(STARTED_MARKER)
        || relative.equals(RETIRED_MARKER)
        || relative.startsWith(JOURNAL_FOLDER);
  }

  private static final int IN_MEMORY_LIMIT = 8 << 20;

  /** The most objects one journal chunk may list when read (writers put far fewer in one). */
  private static final int JOURNAL_CHUNK_LIMIT = 100_000;

  private Manifests() {}

  /** The version of this library, as manifests record it. */
  public static String libraryVersion() {
    try (InputStream in =
        Manifests.class.getResourceAsStream("/io/influxbak/influxbak.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Marks the start of a backup under {@code backupRoot} (only if absent). */
  public static void writeStarted(
      ObjectStore store, KeyPrefix backupRoot, String backupId, java.time.Instant startedAt)
      throws IOException {
    requireNonNull(startedAt, "startedAt is null");
    String json =
        "{\"backupId\": \""
            + backupId.replace("\"", "")
            + "\", \"startedAt\": \""
            + startedAt
            + "\", \"formatVersion\": "
            + ManifestFormat.CURRENT_VERSION
            + "}\n";
    store.write(
        backupRoot.resolve(STARTED_MARKER),
        ObjectContent.ofBytes(json.getBytes(StandardCharsets.UTF_8)),
        WriteMode.CREATE_NEW);
  }

  /**
   * Writes {@code manifest} as {@code <backup-root>/manifest.json}, only if absent. Large manifests
   * are staged in a temporary file rather than in memory.
   */
  public static ObjectInfo write(ObjectStore store, KeyPrefix backupRoot, BackupManifest manifest)
      throws IOException {
    ObjectKey key = backupRoot.resolve(ManifestFormat.FILE_NAME);
    DeferredFileOutputStream staged =
        DeferredFileOutputStream.builder()
            .setThreshold(IN_MEMORY_LIMIT)
            .setPrefix("influxbak-manifest")
            .setSuffix(".json")
            .get();
    try {
      try (staged) {
        ManifestFormat.write(manifest, staged);
      }
      ObjectContent content =
          staged.isInMemory()
              ? ObjectContent.ofBytes(staged.getData())
              : ObjectContent.ofFile(staged.getFile().toPath());
      return store.write(key, content, WriteMode.CREATE_NEW);
    } finally {
      Path file = staged.getPath();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * The manifest of {@code backupId}, or empty when the backup has none (it is incomplete).
   *
   * @throws ManifestException if the manifest exists but cannot be trusted
   */
  public static Optional<BackupManifest> read(ObjectStore store, String backupId, int maxObjects)
      throws IOException {
    ObjectKey key = KeyPrefix.of(backupId).resolve(ManifestFormat.FILE_NAME);
    Optional<ObjectInfo> info = store.stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    InputStream in;
    try {
      // Checked against its size, so that a read cut short is told apart from a malformed manifest.
      in =
          new HashingInputStream(
              store.open(key),
              key,
              Hashes.CRC32C,
              Optional.of(ExpectedContent.ofSize(info.get().size())));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try (in) {
      BackupManifest manifest = ManifestFormat.read(in, key.toString(), maxObjects);
      if (!manifest.backupId().equals(backupId)) {
        throw new ManifestException(
            key.toString(), "names backup " + manifest.backupId() + ", not " + backupId, null);
      }
      return Optional.of(manifest);
    }
  }

  /**
   * The objects the journal of {@code backupId} records (a running or interrupted backup's copies
   * so far), in chunk order: a later entry for a key supersedes an earlier one. A chunk that does
   * not read is skipped: its objects count as not copied.
   */
  public static List<ManifestEntry> readJournal(ObjectStore store, String backupId)
      throws IOException {
    TreeMap<String, ObjectKey> chunks = new TreeMap<>();
    try (ObjectIterator listing =
        store.list(KeyPrefix.of(backupId).resolvePrefix(JOURNAL_FOLDER))) {
      while (listing.hasNext()) {
        ObjectKey key = listing.next().key();
        chunks.put(key.name(), key);
      }
    }
    List<ManifestEntry> entries = new ArrayList<>();
    for (ObjectKey chunk : chunks.values()) {
      try (InputStream in = store.open(chunk)) {
        entries.addAll(ManifestFormat.read(in, chunk.toString(), JOURNAL_CHUNK_LIMIT).entries());
      } catch (ManifestException | ObjectNotFoundException e) {
        // written only if absent, so normally whole; if not, what it lists is copied again
      }
    }
    return entries;
  }

  /**
   * The headers ({@link ManifestFormat#readHeader}) of the complete backups in {@code store}: what
   * choosing a parent for an incremental backup needs, without reading every manifest's entries.
   * Finds the backups with a delimiter listing of the store's first level ({@link
   * ObjectStore#childPrefixes}) and two requests each.
   */
  public static List<BackupManifest> completeHeaders(ObjectStore store) throws IOException {
    List<BackupManifest> headers = new ArrayList<>();
    for (String id : new TreeSet<>(firstSegments(store))) {
      KeyPrefix root = KeyPrefix.of(id);
      ObjectKey key = root.resolve(ManifestFormat.FILE_NAME);
      if (store.stat(root.resolve(RETIRED_MARKER)).isPresent() || store.stat(key).isEmpty()) {
        continue;
      }
      try (InputStream in = store.open(key)) {
        BackupManifest header = ManifestFormat.readHeader(in, key.toString());
        if (header.backupId().equals(id)) {
          headers.add(header);
        }
      } catch (ManifestException | ObjectNotFoundException e) {
        // a manifest that does not read proves nothing: that backup is not complete
      }
    }
    return ImmutableList.copyOf(headers);
  }

  private static List<String> firstSegments(ObjectStore store) throws IOException {
    List<String> ids = new ArrayList<>();
    for (KeyPrefix child : store.childPrefixes(KeyPrefix.ROOT)) {
      String id = child.toString();
      ids.add(id.substring(0, id.length() - 1));
    }
    return ids;
  }

  /**
   * Every backup in {@code store}: the prefixes {@code <id>/} that hold a manifest (complete), a
   * start marker (incomplete) or a retired marker (retired). Finds them with a delimiter listing of
   * the store's first level and up to three requests each; reads each complete backup's manifest,
   * and lists incomplete and retired ones.
   */
  public static List<BackupSummary> list(ObjectStore store) throws IOException {
    List<BackupSummary> summaries = new ArrayList<>();
    for (String id : new TreeSet<>(firstSegments(store))) {
      KeyPrefix root = KeyPrefix.of(id);
      boolean retired = store.stat(root.resolve(RETIRED_MARKER)).isPresent();
      boolean withManifest =
          !retired && store.stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent();
      if (!retired && !withManifest && store.stat(root.resolve(STARTED_MARKER)).isEmpty()) {
        continue; // not a backup (a node prefix, in a store that holds both)
      }
      Optional<BackupManifest> manifest = Optional.empty();
      if (withManifest) {
        try {
          manifest = read(store, id, ManifestFormat.DEFAULT_MAX_OBJECTS);
        } catch (ManifestException e) {
          manifest =
              Optional
                  .empty(); // listed as incomplete: a manifest that does not read proves nothing
        }
      }
      if (manifest.isPresent()) {
        BackupManifest m = manifest.get();
        summaries.add(
            new BackupSummary(
                id,
                Optional.of(m.createdAt()),
                Optional.of(m.product()),
                m.nodes(),
                m.entries().size(),
                m.byteCount(),
                BackupSummary.State.COMPLETE));
        continue;
      }
      // Incomplete or retired: what its root holds, by listing it.
      long objects = 0;
      long bytes = 0;
      TreeSet<String> nodes = new TreeSet<>();
      try (ObjectIterator listing = store.list(root)) {
        while (listing.hasNext()) {
          ObjectInfo info = listing.next();
          String rest = info.key().relativeTo(root);
          if (rest.contains("/") && !isRecord(rest)) {
            objects++;
            bytes += info.size();
            nodes.add(rest.substring(0, rest.indexOf('/')));
          }
        }
      }
      summaries.add(
          new BackupSummary(
              id,
              Optional.empty(),
              Optional.empty(),
              ImmutableList.copyOf(nodes),
              objects,
              bytes,
              retired ? BackupSummary.State.RETIRED : BackupSummary.State.INCOMPLETE));
    }
    return ImmutableList.copyOf(summaries);
  }
}
