package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.io.BaseEncoding;
import java.util.Locale;

/**
 * A checksum value: an algorithm and its digest as lowercase hex, in the byte order the stores use (a
 * CRC32C is its four big-endian bytes, which is what S3 and GCS send base64-encoded).
 *
 * @param algorithm the algorithm
 * @param hex the digest, lowercase hex, exactly {@code 2 * algorithm.byteLength()} characters
 */
public record Checksum(ChecksumAlgorithm algorithm, String hex) {
  /** Validates and normalizes the digest to lowercase. */
  public Checksum {
    requireNonNull(algorithm, "algorithm is null");
    requireNonNull(hex, "hex is null");
    hex = hex.toLowerCase(Locale.ROOT);
    checkArgument(
        hex.length() == algorithm.byteLength() * 2 && BaseEncoding.base16().lowerCase().canDecode(hex),
        "Invalid %s digest: %s",
        algorithm,
        hex);
  }

  /** A CRC32C from its 32-bit value (as {@link java.util.zip.CRC32C#getValue()} returns it). */
  public static Checksum crc32c(long value) {
    checkArgument(value >= 0 && value <= 0xFFFFFFFFL, "CRC32C value out of range: %s", value);
    return new Checksum(ChecksumAlgorithm.CRC32C, String.format("%08x", value));
  }

  /** A checksum from raw digest bytes. */
  public static Checksum of(ChecksumAlgorithm algorithm, byte[] digest) {
    return new Checksum(algorithm, BaseEncoding.base16().lowerCase().encode(digest));
  }

  /** A checksum from the base64 form S3, GCS and Azure put on the wire. */
  public static Checksum fromBase64(ChecksumAlgorithm algorithm, String base64) {
    return of(algorithm, BaseEncoding.base64().decode(base64));
  }

  /** The digest bytes. */
  public byte[] bytes() {
    return BaseEncoding.base16().lowerCase().decode(hex);
  }

  /** The digest in base64, as the stores' headers carry it. */
  public String base64() {
    return BaseEncoding.base64().encode(bytes());
  }

  /** The CRC32C as an unsigned 32-bit value; only for {@link ChecksumAlgorithm#CRC32C}. */
  public long crc32cValue() {
    checkArgument(algorithm == ChecksumAlgorithm.CRC32C, "Not a CRC32C: %s", this);
    return Long.parseLong(hex, 16);
  }

  @Override
  public String toString() {
    return algorithm.name().toLowerCase(Locale.ROOT) + ":" + hex;
  }
}
