package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Counts and hashes (CRC32C always, SHA-256 optionally) the bytes read through it, in the same
 * pass.
 *
 * <p>When given an {@link ExpectedContent}, it checks the size and hashes as soon as the expected
 * last byte has been read, before handing that byte on, and at end of stream; on a mismatch it
 * throws {@link ContentMismatchException} instead. A writer that consumes the stream (and publishes
 * only after reading every byte) therefore never publishes wrong content, even if it never asks for
 * end of stream.
 */
public final class HashingInputStream extends FilterInputStream {
  private final ObjectKey key;
  private final Optional<ExpectedContent> expected;
  private final CRC32C crc32c = new CRC32C();
  private final MessageDigest sha256;
  private long count;
  private boolean verified;
  private byte[] sha256Digest;

  /**
   * @param in the stream to read
   * @param key the object being read, for messages
   * @param sha256 whether to compute SHA-256 as well as CRC32C
   * @param expected what the bytes must be, if known
   */
  public HashingInputStream(
      InputStream in, ObjectKey key, Hashes sha256, Optional<ExpectedContent> expected) {
    super(requireNonNull(in, "in is null"));
    this.key = requireNonNull(key, "key is null");
    this.expected = requireNonNull(expected, "expected is null");
    this.sha256 =
        requireNonNull(sha256, "sha256 is null") == Hashes.CRC32C_AND_SHA256 ? newSha256() : null;
  }

  /** Which hashes a {@link HashingInputStream} computes. */
  public enum Hashes {
    /** CRC32C only (about 11 GB/s per core). */
    CRC32C,
    /** CRC32C and SHA-256 (tamper evidence). */
    CRC32C_AND_SHA256
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n < 0) {
      verify();
      return n;
    }
    if (n > 0) {
      crc32c.update(buffer, offset, n);
      if (sha256 != null) {
        sha256.update(buffer, offset, n);
      }
      count += n;
      if (expected.isPresent()) {
        if (count > expected.get().size()) {
          throw new ContentMismatchException(
              key, "more than the expected " + expected.get().size() + " bytes", false, true);
        }
        if (count == expected.get().size()) {
          verify();
        }
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would escape the hashes: read them instead.
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** CRC32C of the bytes read so far. */
  public Checksum crc32c() {
    return Checksum.crc32c(crc32c.getValue());
  }

  /** SHA-256 of the bytes read so far (call once, after the last byte); empty if not computed. */
  public Optional<Checksum> sha256() {
    return sha256 == null
        ? Optional.empty()
        : Optional.of(Checksum.of(ChecksumAlgorithm.SHA256, sha256Digest()));
  }

  private byte[] sha256Digest() {
    if (sha256Digest == null) {
      sha256Digest = sha256.digest();
    }
    return sha256Digest;
  }

  private void verify() throws ContentMismatchException {
    if (verified || expected.isEmpty()) {
      return;
    }
    verified = true;
    ExpectedContent want = expected.get();
    if (count != want.size()) {
      throw new ContentMismatchException(
          key, "read " + count + " bytes, expected " + want.size(), count < want.size());
    }
    if (want.crc32c().isPresent() && !want.crc32c().get().equals(crc32c())) {
      throw new ContentMismatchException(
          key, "CRC32C is " + crc32c() + ", expected " + want.crc32c().get());
    }
    if (want.sha256().isPresent()
        && sha256 != null
        && !want.sha256().get().equals(sha256().orElseThrow())) {
      throw new ContentMismatchException(
          key, "SHA-256 is " + sha256().orElseThrow() + ", expected " + want.sha256().get());
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }
}
