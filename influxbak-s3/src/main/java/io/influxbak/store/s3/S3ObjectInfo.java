package io.influxbak.store.s3;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What S3 reports of an object (HEAD, PUT, completed upload), as an {@link ObjectInfo}. */
final class S3ObjectInfo {
  private S3ObjectInfo() {}

  /**
   * The object's info, with the CRC32C S3 reports when it is a whole-object value (a composite one,
   * {@code xxx-N}, is not).
   */
  static ObjectInfo of(
      ObjectKey key,
      long size,
      @Nullable Instant modified,
      @Nullable String etag,
      @Nullable String crc32c,
      @Nullable String checksumType) {
    Set<Checksum> checksums = ImmutableSet.of();
    if (crc32c != null
        && !crc32c.contains("-")
        && !ChecksumType.COMPOSITE.toString().equals(checksumType)) {
      checksums = ImmutableSet.of(Checksum.fromBase64(ChecksumAlgorithm.CRC32C, crc32c));
    }
    return new ObjectInfo(
        key, size, Optional.ofNullable(modified), Optional.ofNullable(etag), checksums);
  }

  /** What a HEAD reports. */
  static ObjectInfo of(ObjectKey key, HeadObjectResponse head) {
    return of(
        key,
        head.contentLength(),
        head.lastModified(),
        head.eTag(),
        head.checksumCRC32C(),
        head.checksumTypeAsString());
  }
}
