package io.influxbak.store.gcs;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage.BlobField;
import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import java.time.OffsetDateTime;
import java.util.Optional;

/** What GCS reports of an object (get, list, upload, rewrite), as an {@link ObjectInfo}. */
final class GcsObjectInfo {
  private GcsObjectInfo() {}

  /** The fields a stat or a listing asks for: what {@link #of} reads. */
  static final BlobField[] FIELDS = {
    BlobField.NAME,
    BlobField.SIZE,
    BlobField.CRC32C,
    BlobField.MD5HASH,
    BlobField.UPDATED,
    BlobField.ETAG,
    BlobField.GENERATION
  };

  /** The object's info, with its CRC32C and MD5 (GCS keeps both for every object). */
  static ObjectInfo of(ObjectKey key, BlobInfo blob) {
    ImmutableSet.Builder<Checksum> checksums = ImmutableSet.builder();
    if (blob.getCrc32c() != null) {
      checksums.add(Checksum.fromBase64(ChecksumAlgorithm.CRC32C, blob.getCrc32c()));
    }
    if (blob.getMd5() != null) {
      checksums.add(Checksum.fromBase64(ChecksumAlgorithm.MD5, blob.getMd5()));
    }
    OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
    return new ObjectInfo(
        key,
        blob.getSize() == null ? 0 : blob.getSize(),
        Optional.ofNullable(updated).map(OffsetDateTime::toInstant),
        Optional.ofNullable(blob.getGeneration()).map(String::valueOf),
        checksums.build());
  }
}
