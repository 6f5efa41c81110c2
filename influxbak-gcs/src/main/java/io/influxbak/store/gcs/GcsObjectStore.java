package io.influxbak.store.gcs;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Iterators;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import javax.annotation.concurrent.ThreadSafe;

/**
 * An {@link ObjectStore} over one GCS bucket and name prefix, on google-cloud-storage's JSON API
 * client.
 *
 * <ul>
 *   <li>Writes verify themselves: an object up to {@link GcsTransferSizes#singleUploadMax()} is one
 *       multipart upload carrying its CRC32C and MD5 in its metadata part, which the service
 *       checks; a larger one is a resumable upload in chunks, carrying the CRC32C when it is known
 *       up front (a restore) and otherwise checked against the CRC32C the service computed before
 *       it is accepted (a mismatch deletes the object just created and fails). GCS keeps a CRC32C
 *       for every object, in listings too, so a verify needs no download.
 *   <li>{@link WriteMode#CREATE_NEW} (and {@link WriteMode#CREATE_IN_CLAIMED_ROOT}) is {@code
 *       ifGenerationMatch=0} on uploads and rewrites.
 *   <li>Copies are server-side rewrites, looping on the rewrite token.
 *   <li>Listings are lazy, one page at a time, with CRC32C and MD5.
 * </ul>
 */
@ThreadSafe
public final class GcsObjectStore implements ObjectStore {
  private static final StoreCapabilities CAPABILITIES =
      new StoreCapabilities(
          ImmutableSet.of(ChecksumAlgorithm.CRC32C),
          ImmutableSet.of(ChecksumAlgorithm.CRC32C),
          true,
          true);

  private final Storage storage;
  private final boolean ownsStorage;
  private final String bucket;
  private final KeyPrefix root;
  private final GcsTransferSizes sizes;
  private final int listPageSize;
  private final StoreId id;
  private final GcsUploads uploads;
  private final boolean objectLocks;
  private final GcsObjectLocks locks;

  /** A store over {@code gs://bucket/root} with the caller's client, which it never closes. */
  public static GcsObjectStore of(
      Storage storage, String bucket, KeyPrefix root, GcsTransferSizes sizes) {
    return new GcsObjectStore(storage, false, bucket, root, sizes, 1000, Optional.empty(), false);
  }

  /** As {@link #of}, closing {@code storage} when the store is closed. */
  static GcsObjectStore owning(
      Storage storage, String bucket, KeyPrefix root, GcsTransferSizes sizes) {
    return new GcsObjectStore(storage, true, bucket, root, sizes, 1000, Optional.empty(), false);
  }

  private GcsObjectStore(
      Storage storage,
      boolean ownsStorage,
      String bucket,
      KeyPrefix root,
      GcsTransferSizes sizes,
      int listPageSize,
      Optional<String> kmsKeyName,
      boolean objectLocks) {
    this.storage = requireNonNull(storage, "storage is null");
    this.ownsStorage = ownsStorage;
    this.bucket = requireNonNull(bucket, "bucket is null");
    this.root = requireNonNull(root, "root is null");
    this.sizes = requireNonNull(sizes, "sizes is null");
    this.listPageSize = listPageSize;
    this.id = new StoreId("gs", bucket, root.toString());
    this.uploads = new GcsUploads(this, storage, bucket, sizes, kmsKeyName);
    this.objectLocks = objectLocks;
    this.locks = new GcsObjectLocks(storage, id, objectLocks);
  }

  /** The same store listing {@code names} objects a page (1 to 1,000). */
  public GcsObjectStore withListPageSize(int names) {
    com.google.common.base.Preconditions.checkArgument(
        names >= 1 && names <= 1000, "page size must be 1 to 1000: %s", names);
    return with(names, uploads.kmsKeyName(), objectLocks);
  }

  /**
   * The same store encrypting every object it creates (uploads, rewrites) with the Cloud KMS key
   * {@code kmsKeyName} (CMEK, {@code projects/P/locations/L/keyRings/R/cryptoKeys/K}).
   */
  public GcsObjectStore withKmsKeyName(String kmsKeyName) {
    requireNonNull(kmsKeyName, "kmsKeyName is null");
    return with(listPageSize, Optional.of(kmsKeyName), objectLocks);
  }

  /** The same store with object locks: GCS object retentions, which the bucket must enable. */
  public GcsObjectStore withObjectLocks() {
    return with(listPageSize, uploads.kmsKeyName(), true);
  }

  private GcsObjectStore with(int pageSize, Optional<String> kmsKeyName, boolean locking) {
    return new GcsObjectStore(
        storage, ownsStorage, bucket, root, sizes, pageSize, kmsKeyName, locking);
  }

  @Override
  public Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    return locks.lockOf(key, blobId(key));
  }

  @Override
  public void lock(ObjectKey key, ObjectLock lock) throws IOException {
    locks.lock(key, blobId(key), lock);
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public StoreCapabilities capabilities() {
    return objectLocks ? CAPABILITIES.withObjectLocks() : CAPABILITIES;
  }

  BlobId blobId(ObjectKey key) {
    return BlobId.of(bucket, root.resolve(key).toString());
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    Page<Blob> first;
    try {
      first =
          storage.list(
              bucket,
              BlobListOption.prefix(root.toString() + prefix),
              BlobListOption.pageSize(listPageSize),
              BlobListOption.fields(GcsObjectInfo.FIELDS));
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, null, "list " + prefix.displayName(), false);
    }
    Iterator<Page<Blob>> pages =
        new com.google.common.collect.AbstractIterator<>() {
          @Nullable private Page<Blob> current;

          @Override
          protected Page<Blob> computeNext() {
            // The next page is fetched only once the consumer has used up this one.
            if (current == null) {
              current = first;
            } else if (current.hasNextPage()) {
              current = current.getNextPage();
            } else {
              return endOfData();
            }
            return current;
          }
        };
    return ObjectIterator.ofPages(
        Iterators.transform(pages, Page::getValues),
        blob ->
            GcsObjectInfo.of(
                ObjectKey.of(blob.getName().substring(root.toString().length())), blob),
        e -> GcsErrors.map(e, id, null, "list " + prefix.displayName(), false));
  }

  /** Objects list with the delimiter {@code /}: the objects and prefixes of a level. */
  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    String full = root.toString() + prefix;
    List<ObjectInfo> objects = new ArrayList<>();
    Set<KeyPrefix> children = new HashSet<>();
    try {
      Page<Blob> page =
          storage.list(
              bucket,
              BlobListOption.prefix(full),
              BlobListOption.currentDirectory(),
              BlobListOption.pageSize(listPageSize));
      for (Blob blob : page.iterateAll()) {
        String name = blob.getName().substring(full.length());
        if (blob.isDirectory()) {
          children.add(prefix.resolvePrefix(name.substring(0, name.length() - 1)));
        } else {
          objects.add(
              GcsObjectInfo.of(
                  ObjectKey.of(blob.getName().substring(root.toString().length())), blob));
        }
      }
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, null, "list " + prefix.displayName(), false);
    }
    return new KeyLevel(objects, children);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    Blob blob;
    try {
      blob = storage.get(blobId(key), Storage.BlobGetOption.fields(GcsObjectInfo.FIELDS));
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, key, "stat", false);
    }
    return blob == null ? Optional.empty() : Optional.of(GcsObjectInfo.of(key, blob));
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    Blob blob;
    try {
      blob =
          storage.get(
              blobId(key),
              Storage.BlobGetOption.fields(BlobField.NAME, BlobField.GENERATION, BlobField.SIZE));
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, key, "read", false);
    }
    if (blob == null) {
      throw new ObjectNotFoundException(id, key);
    }
    // Pinned to the generation found: a concurrent overwrite fails the read instead of mixing two
    // objects.
    ReadChannel reader =
        storage.reader(
            BlobId.of(bucket, blob.getName(), blob.getGeneration()),
            BlobSourceOption.generationMatch(blob.getGeneration()));
    reader.setChunkSize(sizes.chunkSize());
    InputStream in = Channels.newInputStream(reader);
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (RuntimeException e) {
          throw GcsErrors.map(e, id, key, "read", false);
        }
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
          return super.read(buffer, offset, length);
        } catch (RuntimeException e) {
          throw GcsErrors.map(e, id, key, "read", false);
        }
      }
    };
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    WriteCheck check = WriteCheck.of(id, key, content);
    try {
      if (content.length() <= sizes.singleUploadMax()) {
        return mode.createOnly()
            ? uploads.single(key, content, check, BlobTargetOption.doesNotExist())
            : uploads.single(key, content, check);
      }
      return uploads.resumable(key, content, check, mode);
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, key, "write", mode.createOnly());
    }
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    try {
      Storage.CopyRequest.Builder request =
          Storage.CopyRequest.newBuilder().setSource(blobId(source));
      if (mode.createOnly()) {
        request.setTarget(blobId(target), uploads.targetOptions(BlobTargetOption.doesNotExist()));
      } else {
        request.setTarget(blobId(target), uploads.targetOptions());
      }
      if (sizes.rewriteMegabytesPerCall() > 0) {
        request.setMegabytesCopiedPerChunk(sizes.rewriteMegabytesPerCall());
      }
      CopyWriter writer = storage.copy(request.build());
      while (!writer.isDone()) {
        writer.copyChunk();
      }
      return GcsObjectInfo.of(target, writer.getResult());
    } catch (RuntimeException e) {
      IOException mapped =
          GcsErrors.map(e, id, target, "copy " + source + " to", mode.createOnly());
      if (mapped instanceof ObjectNotFoundException && stat(source).isEmpty()) {
        throw new ObjectNotFoundException(id, source);
      }
      throw mapped;
    }
  }

  /** {@code ifGenerationMatch} on one upload: objects up to the single-upload size. */
  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    checkArgument(
        content.length() <= sizes.singleUploadMax(),
        "A conditional replace of %s writes at most %s bytes in one upload",
        key,
        sizes.singleUploadMax());
    try {
      return uploads.single(
          key,
          content,
          WriteCheck.of(id, key, content),
          BlobTargetOption.generationMatch(generation(key, expectedVersion)));
    } catch (RuntimeException e) {
      throw GcsErrors.conditional(e, id, key, "replace", expectedVersion);
    }
  }

  /** {@code ifGenerationMatch} on delete. */
  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    boolean deleted;
    try {
      deleted =
          storage.delete(
              blobId(key), BlobSourceOption.generationMatch(generation(key, expectedVersion)));
    } catch (RuntimeException e) {
      throw GcsErrors.conditional(e, id, key, "delete", expectedVersion);
    }
    if (!deleted) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
  }

  /** A version is an object's generation ({@link GcsObjectInfo#of}); anything else names none. */
  private long generation(ObjectKey key, String version) throws ObjectChangedException {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      throw new ObjectChangedException(id, key, version);
    }
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    try {
      storage.delete(blobId(key));
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, key, "delete", false);
    }
  }

  @Override
  public void close() {
    if (ownsStorage) {
      try {
        storage.close();
      } catch (Exception e) {
        // the client is going away with the store
      }
    }
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
