package io.influxbak.transfer;

import io.influxbak.encryption.DataKey;
import io.influxbak.store.Checksum;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.apache.commons.io.function.IOSupplier;

/**
 * An encrypted copy streamed to the store as it is encrypted, without staging: its length is known
 * from the plaintext's ({@link DataKey#ciphertextSize}), and the CRC32C of the stored bytes is
 * taken as they pass. Each {@link #openStream()} (an SDK's retry) reads the source again and
 * encrypts under a new salt, so no nonce ever covers two plaintexts; what is recorded is the last
 * attempt's, the one the store kept.
 */
final class EncryptedUpload implements ObjectContent, Closeable {
  private final IOSupplier<InputStream> source;
  private final AtomicReference<InputStream> unused;
  private final ObjectKey from;
  private final Hashes hashes;
  private final ExpectedContent want;
  private final DataKey key;
  private final ObjectKey to;
  private final AtomicReference<Attempt> last = new AtomicReference<>();

  /** One pass: the plaintext's hashes and the ciphertext's CRC32C. */
  private record Attempt(HashingInputStream plain, CheckedInputStream sealed) {}

  private EncryptedUpload(
      IOSupplier<InputStream> source,
      InputStream first,
      ObjectKey from,
      Hashes hashes,
      ExpectedContent want,
      DataKey key,
      ObjectKey to) {
    this.source = source;
    this.unused = new AtomicReference<>(first);
    this.from = from;
    this.hashes = hashes;
    this.want = want;
    this.key = key;
    this.to = to;
  }

  /**
   * The upload of {@code from}, its source opened now, so that a vanished source is reported as
   * such before the write starts; later attempts open it again.
   *
   * @param source opens the object's plaintext (decoded, watched for cancellation)
   * @param from the object read, for messages
   * @param want what the plaintext must be
   * @param to the stored key, bound into the encryption
   */
  static EncryptedUpload open(
      IOSupplier<InputStream> source,
      ObjectKey from,
      Hashes hashes,
      ExpectedContent want,
      DataKey key,
      ObjectKey to)
      throws IOException {
    return new EncryptedUpload(source, source.get(), from, hashes, want, key, to);
  }

  @Override
  public long length() {
    return DataKey.ciphertextSize(want.size());
  }

  @Override
  public InputStream openStream() throws IOException {
    InputStream first = unused.getAndSet(null);
    HashingInputStream plain =
        new HashingInputStream(
            first != null ? first : source.get(), from, hashes, Optional.of(want));
    CheckedInputStream sealed =
        new CheckedInputStream(key.encrypting(plain, want.size(), to.toString()), new CRC32C());
    last.set(new Attempt(plain, sealed));
    return sealed;
  }

  /** The plaintext's hashes, after the write: of the attempt the store kept. */
  HashingInputStream plaintext() throws ContentMismatchException {
    Attempt attempt = last.get();
    if (attempt == null || attempt.plain().count() != want.size()) {
      throw new ContentMismatchException(
          from,
          "the destination took "
              + (attempt == null ? 0 : attempt.plain().count())
              + " of "
              + want.size()
              + " bytes",
          false,
          true);
    }
    return attempt.plain();
  }

  /** The CRC32C of the stored (encrypted) bytes. */
  Checksum storedCrc32c() {
    return Checksum.crc32c(last.get().sealed().getChecksum().getValue());
  }

  /** Closes the source stream opened up front if no attempt took it. */
  @Override
  public void close() throws IOException {
    InputStream never = unused.getAndSet(null);
    if (never != null) {
      never.close();
    }
  }
}
