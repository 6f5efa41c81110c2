package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an object's bytes must be: its size and, when known, its CRC32C and SHA-256.
 *
 * @param size exact length in bytes
 * @param crc32c the CRC32C the bytes must have, if known
 * @param sha256 the SHA-256 the bytes must have, if known
 */
public record ExpectedContent(long size, Optional<Checksum> crc32c, Optional<Checksum> sha256) {
  /** Checks the parts. */
  public ExpectedContent {
    checkArgument(size >= 0, "negative size");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
    checkArgument(
        crc32c.map(c -> c.algorithm() == ChecksumAlgorithm.CRC32C).orElse(true), "not a CRC32C");
    checkArgument(
        sha256.map(c -> c.algorithm() == ChecksumAlgorithm.SHA256).orElse(true), "not a SHA-256");
  }

  /** Only the size is known. */
  public static ExpectedContent ofSize(long size) {
    return new ExpectedContent(size, Optional.empty(), Optional.empty());
  }
}
