package io.influxbak.store.azure;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/** The objects blobs are, from what Get Blob Properties and List Blobs return. */
final class BlobObjects {
  private BlobObjects() {}

  /** The object a blob is, with the CRC32C of its metadata and its Content-MD5 as checksums. */
  static ObjectInfo info(
      ObjectKey key,
      long size,
      @Nullable OffsetDateTime modified,
      @Nullable String etag,
      @Nullable byte[] md5,
      @Nullable Map<String, String> metadata) {
    ImmutableSet.Builder<Checksum> checksums = ImmutableSet.builder();
    String crc = metadata == null ? null : metadata.get(AzureBlobObjectStore.CRC32C_METADATA);
    if (crc != null) {
      try {
        checksums.add(new Checksum(ChecksumAlgorithm.CRC32C, crc));
      } catch (IllegalArgumentException e) {
        // not ours, or damaged: no checksum rather than a wrong one
      }
    }
    if (md5 != null && md5.length == 16) {
      checksums.add(Checksum.of(ChecksumAlgorithm.MD5, md5));
    }
    return new ObjectInfo(
        key,
        size,
        Optional.ofNullable(modified).map(OffsetDateTime::toInstant),
        Optional.ofNullable(etag),
        checksums.build());
  }
}
