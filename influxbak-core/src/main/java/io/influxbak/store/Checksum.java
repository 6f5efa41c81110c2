package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.io.BaseEncoding;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

/**
 * A checksum value: an algorithm and its digest, in the byte order the stores use (a CRC32C is its
 * four big-endian bytes, which is what S3 and GCS send base64-encoded). Held as raw bytes, not
 * text, because a backup of millions of objects keeps one or two per object in memory; a CRC32C as
 * an {@code int} in the object itself (its four bytes as an array took 24 bytes more each).
 */
@Immutable
public final class Checksum {
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final ChecksumAlgorithm algorithm;

  /** The digest; null for a CRC32C, which {@link #crc} holds. */
  @Nullable private final byte[] digest;

  /** A CRC32C's four bytes, big-endian; 0 for other algorithms. */
  private final int crc;

  /**
   * @param algorithm the algorithm
   * @param hex the digest as hex (either case), exactly {@code 2 * algorithm.byteLength()}
   *     characters
   */
  public Checksum(ChecksumAlgorithm algorithm, String hex) {
    this(
        algorithm,
        decode(requireNonNull(algorithm, "algorithm is null"), requireNonNull(hex, "hex is null")),
        false);
  }

  private Checksum(ChecksumAlgorithm algorithm, byte[] digest, boolean unused) {
    checkArgument(
        digest.length == algorithm.byteLength(),
        "Invalid %s digest: %s bytes",
        algorithm,
        digest.length);
    this.algorithm = algorithm;
    if (algorithm == ChecksumAlgorithm.CRC32C) {
      this.digest = null;
      this.crc =
          (digest[0] & 0xff) << 24
              | (digest[1] & 0xff) << 16
              | (digest[2] & 0xff) << 8
              | (digest[3] & 0xff);
    } else {
      this.digest = digest;
      this.crc = 0;
    }
  }

  /** The digest bytes, not copied: for reading only. */
  private byte[] digest() {
    return digest != null
        ? digest
        : new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
  }

  private static byte[] decode(ChecksumAlgorithm algorithm, String hex) {
    byte[] digest = new byte[algorithm.byteLength()];
    boolean valid = hex.length() == digest.length * 2;
    for (int i = 0; valid && i < digest.length; i++) {
      int high = nibble(hex.charAt(2 * i));
      int low = nibble(hex.charAt(2 * i + 1));
      valid = high >= 0 && low >= 0;
      digest[i] = (byte) (high << 4 | low);
    }
    checkArgument(valid, "Invalid %s digest: %s", algorithm, hex);
    return digest;
  }

  /** The value of an ASCII hex digit (either case), or -1. */
  private static int nibble(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  /** A CRC32C from its 32-bit value (as {@link java.util.zip.CRC32C#getValue()} returns it). */
  public static Checksum crc32c(long value) {
    checkArgument(value >= 0 && value <= 0xFFFFFFFFL, "CRC32C value out of range: %s", value);
    return new Checksum(
        ChecksumAlgorithm.CRC32C,
        new byte[] {
          (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
        },
        false);
  }

  /** A checksum from raw digest bytes (copied). */
  public static Checksum of(ChecksumAlgorithm algorithm, byte[] digest) {
    return new Checksum(
        requireNonNull(algorithm, "algorithm is null"),
        requireNonNull(digest, "digest is null").clone(),
        false);
  }

  /** A checksum from the base64 form S3, GCS and Azure put on the wire. */
  public static Checksum fromBase64(ChecksumAlgorithm algorithm, String base64) {
    return new Checksum(
        requireNonNull(algorithm, "algorithm is null"),
        BaseEncoding.base64().decode(base64),
        false);
  }

  /** The algorithm. */
  public ChecksumAlgorithm algorithm() {
    return algorithm;
  }

  /** The digest as lowercase hex. */
  public String hex() {
    // by hand: a manifest of a million objects writes two per object, and Base16's
    // StringBuilder-based encoder was a tenth of writing one
    byte[] text = new byte[2 * algorithm.byteLength()];
    appendHex(text, 0);
    return new String(text, StandardCharsets.US_ASCII);
  }

  /**
   * Writes {@link #hex()} as ASCII bytes into {@code text} at {@code offset}, which must have room
   * for them, without the string between (a manifest of a million objects writes two per object).
   *
   * @return the offset after them
   */
  public int appendHex(byte[] text, int offset) {
    int at = offset;
    if (digest == null) {
      for (int shift = 28; shift >= 0; shift -= 4) {
        text[at++] = HEX_DIGITS[(crc >>> shift) & 0xf];
      }
      return at;
    }
    for (byte b : digest) {
      text[at++] = HEX_DIGITS[(b >> 4) & 0xf];
      text[at++] = HEX_DIGITS[b & 0xf];
    }
    return at;
  }

  /** The digest bytes (a copy). */
  public byte[] bytes() {
    return digest != null ? digest.clone() : digest();
  }

  /** The digest in base64, as the stores' headers carry it. */
  public String base64() {
    return BaseEncoding.base64().encode(digest());
  }

  /** The CRC32C as an unsigned 32-bit value; only for {@link ChecksumAlgorithm#CRC32C}. */
  public long crc32cValue() {
    checkArgument(algorithm == ChecksumAlgorithm.CRC32C, "Not a CRC32C: %s", this);
    return crc & 0xFFFFFFFFL;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checksum
        && ((Checksum) other).algorithm == algorithm
        && ((Checksum) other).crc == crc
        && Arrays.equals(((Checksum) other).digest, digest);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + (digest != null ? Arrays.hashCode(digest) : crc);
  }

  /** {@code crc32c:1a2b3c4d}, {@code sha256:...}. */
  @Override
  public String toString() {
    return algorithm.name().toLowerCase(Locale.ROOT) + ":" + hex();
  }
}
