package io.influxbak.store.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The uploads of one GCS store: a single request up to its limit, a resumable upload beyond. */
final class GcsUploads {
  private final GcsObjectStore store;
  private final Storage storage;
  private final String bucket;
  private final GcsTransferSizes sizes;
  private final Optional<String> kmsKeyName;

  GcsUploads(
      GcsObjectStore store,
      Storage storage,
      String bucket,
      GcsTransferSizes sizes,
      Optional<String> kmsKeyName) {
    this.store = store;
    this.storage = storage;
    this.bucket = bucket;
    this.sizes = sizes;
    this.kmsKeyName = kmsKeyName;
  }

  /** The Cloud KMS key (CMEK) every object this store creates is encrypted with, if any. */
  Optional<String> kmsKeyName() {
    return kmsKeyName;
  }

  /** {@code conditions}, and the CMEK key if the store has one: for uploads and rewrites. */
  BlobTargetOption[] targetOptions(BlobTargetOption... conditions) {
    if (kmsKeyName.isEmpty()) {
      return conditions;
    }
    BlobTargetOption[] options = Arrays.copyOf(conditions, conditions.length + 1);
    options[conditions.length] = BlobTargetOption.kmsKeyName(kmsKeyName.get());
    return options;
  }

  /**
   * One multipart request carrying the CRC32C and MD5, which the service checks, under {@code
   * conditions}.
   */
  ObjectInfo single(
      ObjectKey key, ObjectContent content, WriteCheck check, BlobTargetOption... conditions)
      throws IOException {
    byte[] bytes;
    try (InputStream in = content.openStream()) {
      bytes = in.readNBytes((int) content.length() + 1);
    }
    check.update(bytes, 0, bytes.length);
    Checksum crc32c = check.finish();
    BlobInfo info =
        BlobInfo.newBuilder(store.blobId(key))
            .setCrc32c(crc32c.base64())
            .setMd5(Checksum.of(ChecksumAlgorithm.MD5, md5().digest(bytes)).base64())
            .build();
    // The CRC32C and MD5 travel in the upload's metadata part; the service refuses content that
    // does not match.
    Blob blob = storage.create(info, bytes, targetOptions(conditions));
    return GcsObjectInfo.of(key, blob);
  }

  /**
   * A resumable upload in chunks, carrying a known CRC32C or checked against the service's CRC32C
   * before success (a mismatch deletes the generation just written).
   */
  ObjectInfo resumable(ObjectKey key, ObjectContent content, WriteCheck check, WriteMode mode)
      throws IOException {
    Optional<Checksum> known = check.declaredCrc32c();
    BlobInfo.Builder info = BlobInfo.newBuilder(store.blobId(key));
    List<BlobWriteOption> options = new ArrayList<>();
    if (known.isPresent()) {
      info.setCrc32c(known.get().base64());
      options.add(BlobWriteOption.crc32cMatch());
    }
    if (mode.createOnly()) {
      options.add(BlobWriteOption.doesNotExist());
    }
    kmsKeyName.ifPresent(k -> options.add(BlobWriteOption.kmsKeyName(k)));
    byte[] buffer = new byte[1 << 20];
    // Closed only on success: close() finalizes the upload, while a session left open publishes
    // nothing (the service forgets it after a week).
    WriteChannel writer = storage.writer(info.build(), options.toArray(BlobWriteOption[]::new));
    writer.setChunkSize(sizes.chunkSize());
    try (InputStream in = content.openStream()) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        check.update(buffer, 0, read);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
        while (chunk.hasRemaining()) {
          writer.write(chunk);
        }
      }
    }
    Checksum crc32c = check.finish();
    writer.close();
    Blob blob = storage.get(store.blobId(key), Storage.BlobGetOption.fields(GcsObjectInfo.FIELDS));
    if (blob == null) {
      throw new ObjectNotFoundException(store.id(), key);
    }
    ObjectInfo written = GcsObjectInfo.of(key, blob);
    if (!written.checksum(ChecksumAlgorithm.CRC32C).equals(Optional.of(crc32c))) {
      storage.delete(
          BlobId.of(
              bucket,
              blob.getName(),
              blob.getGeneration())); // this generation is ours: take it back
      throw new ContentMismatchException(
          key,
          "writing to "
              + store.id()
              + ": the service stored CRC32C "
              + written.checksum(ChecksumAlgorithm.CRC32C).map(Checksum::toString).orElse("none")
              + ", the content had "
              + crc32c);
    }
    return written;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
