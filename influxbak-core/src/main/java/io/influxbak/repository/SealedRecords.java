package io.influxbak.repository;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * An encrypted backup's key record ({@code <backup-id>/key.json}, its data key wrapped) and its
 * records sealed with that key: the manifest and the journal chunks are encrypted like its objects,
 * bound to their own keys. A reader tells a sealed record from a plain one by its first bytes, so
 * plain backups read as before.
 */
final class SealedRecords {
  /** The wrapped data key of an encrypted backup, beside its manifest. */
  static final String KEY_RECORD = "key.json";

  /** Manifests up to this size are held in memory before they are written. */
  private static final int IN_MEMORY_LIMIT = 8 << 20;

  private SealedRecords() {}

  /**
   * Writes {@code manifest} as {@code <backup-id>/manifest.json}, only if absent, encrypted with
   * {@code dataKey} when given. A plain manifest beyond {@link #IN_MEMORY_LIMIT} is generated again
   * as the store reads it; an encrypted one is staged in a temporary file.
   */
  static ObjectInfo writeManifest(
      ObjectStore store, BackupManifest manifest, Optional<DataKey> dataKey) throws IOException {
    ObjectKey key = BackupId.of(manifest.backupId()).root().resolve(ManifestFormat.FILE_NAME);
    if (dataKey.isEmpty()) {
      return store.write(key, plainManifest(manifest), WriteMode.CREATE_NEW);
    }
    DeferredFileOutputStream staged =
        DeferredFileOutputStream.builder()
            .setThreshold(IN_MEMORY_LIMIT)
            .setPrefix("influxbak-manifest")
            .setSuffix(".json")
            .get();
    try {
      try (OutputStream out = seal(staged, dataKey, key)) {
        ManifestFormat.write(manifest, out);
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
   * A plain manifest's bytes: held when they are few; else counted (a store needs the length before
   * the bytes) and generated again on each open. The same bytes each time: a manifest's text
   * depends on nothing but the manifest. Staged in a temporary file, a million-entry manifest took
   * some 200 MB of the temporary directory, and a full one failed the backup at its last step (the
   * time is about the same either way: the text is generated twice here).
   */
  private static ObjectContent plainManifest(BackupManifest manifest) throws IOException {
    FirstBytes first = new FirstBytes();
    ManifestFormat.write(manifest, first);
    if (first.count <= IN_MEMORY_LIMIT) {
      return ObjectContent.ofBytes(first.kept.toByteArray());
    }
    long length = first.count;
    return new ObjectContent() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public InputStream openStream() {
        return ManifestFormat.stream(manifest);
      }
    };
  }

  /** Counts what is written, keeping it up to {@link #IN_MEMORY_LIMIT} bytes. */
  private static final class FirstBytes extends OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long count;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
      if (count <= IN_MEMORY_LIMIT) {
        kept.write(bytes, offset, length);
      } else if (kept.size() > 0) {
        kept.reset(); // too many to hold: only the count matters now
      }
    }
  }

  /**
   * Creates the data key of the new backup {@code backupId}, wrapped by {@code kek}, only if
   * absent; if an earlier attempt wrote it, that one is the key.
   */
  static DataKey create(ObjectStore store, BackupKeys keys, BackupId backupId, KeyEncryptionKey kek)
      throws IOException {
    DataKey key = DataKey.generate();
    ObjectKey record = backupId.root().resolve(KEY_RECORD);
    try {
      store.write(
          record,
          ObjectContent.ofBytes(key.record(kek, backupId.toString())),
          WriteMode.CREATE_NEW);
    } catch (ObjectAlreadyExistsException e) {
      return find(store, keys, backupId).orElseThrow(() -> e);
    }
    keys.remember(store.id().toString(), backupId.toString(), key);
    return key;
  }

  /** Replaces the key record of {@code backupId} with {@code key} wrapped by {@code kek}. */
  static void rewrap(ObjectStore store, BackupId backupId, DataKey key, KeyEncryptionKey kek)
      throws IOException {
    store.write(
        backupId.root().resolve(KEY_RECORD),
        ObjectContent.ofBytes(key.record(kek, backupId.toString())),
        WriteMode.REPLACE);
  }

  /**
   * The data key of {@code backupId}; empty when the backup is not encrypted (it has no key
   * record).
   *
   * @throws EncryptionKeyException if it is encrypted and {@code keys} cannot unwrap its key
   */
  static Optional<DataKey> find(ObjectStore store, BackupKeys keys, BackupId backupId)
      throws IOException {
    ObjectKey record = backupId.root().resolve(KEY_RECORD);
    // No stat first: a key unwrapped before costs no request at all, and a missing record is the
    // read's ObjectNotFoundException.
    try {
      return Optional.of(
          keys.dataKey(
              store.id().toString(),
              backupId.toString(),
              () -> {
                try (InputStream in = store.open(record)) {
                  return in.readNBytes(64 << 10);
                }
              }));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The data keys of the backups holding encrypted copies among {@code stored} (listed by {@code
   * backupId}), by backup id.
   */
  static Map<String, DataKey> dataKeys(
      ObjectStore store, BackupKeys keys, String backupId, Collection<StoredCopy> stored)
      throws IOException {
    Map<String, DataKey> dataKeys = new HashMap<>();
    for (StoredCopy copy : stored) {
      String holder = copy.holder(backupId);
      if (copy.encoding().encrypted() && !dataKeys.containsKey(holder)) {
        dataKeys.put(
            holder,
            find(store, keys, BackupId.of(holder))
                .orElseThrow(
                    () ->
                        new EncryptionKeyException(
                            holder, "it holds encrypted copies but has no " + KEY_RECORD)));
      }
    }
    return dataKeys;
  }

  /**
   * The plaintext of the record {@code key} of {@code backupId}, read from {@code raw}: decrypted
   * if it is sealed, as it is otherwise.
   */
  static InputStream open(
      ObjectStore store, BackupKeys keys, BackupId backupId, ObjectKey key, InputStream raw)
      throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, DataKey.HEAD_LENGTH);
    byte[] head = in.readNBytes(DataKey.HEAD_LENGTH);
    in.unread(head);
    if (!DataKey.isEncrypted(head)) {
      return in;
    }
    Optional<DataKey> dataKey;
    try {
      dataKey = find(store, keys, backupId);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    if (dataKey.isEmpty()) {
      in.close();
      throw new EncryptionKeyException(
          backupId.toString(), key + " is encrypted, but the backup has no " + KEY_RECORD);
    }
    return dataKey.get().decrypt(in, key.toString(), key.toString());
  }

  /** {@code out}, encrypting into it when the backup has a data key. */
  static OutputStream seal(OutputStream out, Optional<DataKey> key, ObjectKey to)
      throws IOException {
    return key.isPresent() ? key.get().encrypt(out, to.toString()) : out;
  }

  /** The manifest of {@code backupId}, as {@link BackupRepository#readManifest} gives it. */
  static Optional<BackupManifest> readManifest(
      ObjectStore store,
      BackupKeys keys,
      BackupId backupId,
      int maxObjects,
      Consumer<ManifestEntry> parsed)
      throws IOException {
    ObjectKey key = backupId.root().resolve(ManifestFormat.FILE_NAME);
    Optional<ObjectInfo> info = store.stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    InputStream in;
    try {
      // Checked against its size, so that a read cut short is told apart from a malformed manifest.
      in =
          open(
              store,
              keys,
              backupId,
              key,
              new HashingInputStream(
                  store.open(key),
                  key,
                  Hashes.CRC32C,
                  Optional.of(ExpectedContent.ofSize(info.get().size()))));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try (in) {
      BackupManifest manifest = ManifestFormat.read(in, key.toString(), maxObjects, parsed);
      if (!manifest.backupId().equals(backupId.toString())) {
        throw new ManifestException(
            key.toString(), "names backup " + manifest.backupId() + ", not " + backupId, null);
      }
      return Optional.of(manifest);
    }
  }
}
