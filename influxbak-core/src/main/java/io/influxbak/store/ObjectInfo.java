package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a store knows about one object without reading it.
 *
 * @param key the object's key
 * @param size its size in bytes
 * @param lastModified when the store last wrote it, if the store says
 * @param etag the store's opaque version tag (S3 ETag, Azure ETag, GCS generation), if any; never
 *     assumed to be a content hash
 * @param checksums the content checksums the store keeps natively and returned with this call (at
 *     most one per algorithm)
 */
public record ObjectInfo(
    ObjectKey key,
    long size,
    Optional<Instant> lastModified,
    Optional<String> etag,
    Set<Checksum> checksums) {

  /** Validates and copies the checksums into an immutable set. */
  public ObjectInfo {
    requireNonNull(key, "key is null");
    checkArgument(size >= 0, "Negative size %s for %s", size, key);
    requireNonNull(lastModified, "lastModified is null");
    requireNonNull(etag, "etag is null");
    checksums = ImmutableSet.copyOf(checksums);
    // without a stream: a listing of a million objects builds a million of these
    if (checksums.size() > 1) {
      Set<ChecksumAlgorithm> algorithms = EnumSet.noneOf(ChecksumAlgorithm.class);
      for (Checksum checksum : checksums) {
        checkArgument(
            algorithms.add(checksum.algorithm()),
            "More than one checksum per algorithm for %s: %s",
            key,
            checksums);
      }
    }
  }

  /** An object known only by key and size. */
  public static ObjectInfo of(ObjectKey key, long size) {
    return new ObjectInfo(key, size, Optional.empty(), Optional.empty(), ImmutableSet.of());
  }

  /** The native checksum of the given algorithm, if the store returned one. */
  public Optional<Checksum> checksum(ChecksumAlgorithm algorithm) {
    for (Checksum checksum : checksums) {
      if (checksum.algorithm() == algorithm) {
        return Optional.of(checksum);
      }
    }
    return Optional.empty();
  }
}
