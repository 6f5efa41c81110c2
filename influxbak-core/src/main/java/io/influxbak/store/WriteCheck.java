package io.influxbak.store;

import static com.google.common.base.Preconditions.checkPositionIndexes;
import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The checks every adapter makes on one write: the bytes it received from an {@link ObjectContent}
 * must be exactly its declared {@link ObjectContent#length()} and, when the content declares a
 * CRC32C, must hash to it. A failed check is a {@link ContentMismatchException} naming the key, the
 * store and what differed; the adapter then publishes nothing.
 *
 * <p>An adapter feeds every byte it sends through {@link #update}, which refuses as soon as more
 * bytes arrive than declared, and calls {@link #finish()} (or, for a check made by {@link
 * #ofDeclared}, {@link #complete()}) before it publishes (the single upload, the multipart
 * completion, the rename).
 */
public final class WriteCheck {
  private final StoreId store;
  private final ObjectKey key;
  private final long declaredLength;
  private final Optional<Checksum> declaredCrc32c;
  private final CRC32C crc = new CRC32C();

  /** Whether the bytes are hashed: always for {@link #of}, only against a declared CRC32C else. */
  private final boolean hashing;

  private long received;

  private WriteCheck(StoreId store, ObjectKey key, ObjectContent content, boolean always) {
    this.store = requireNonNull(store, "store is null");
    this.key = requireNonNull(key, "key is null");
    this.declaredLength = content.length();
    this.declaredCrc32c =
        content.knownChecksums().stream()
            .filter(c -> c.algorithm() == ChecksumAlgorithm.CRC32C)
            .findFirst();
    this.hashing = always || declaredCrc32c.isPresent();
  }

  /**
   * Starts the checks for writing {@code content} to {@code key} in {@code store}, hashing every
   * byte: {@link #finish()} returns their CRC32C, for an adapter that hands it to its service.
   */
  public static WriteCheck of(StoreId store, ObjectKey key, ObjectContent content) {
    return new WriteCheck(store, key, requireNonNull(content, "content is null"), true);
  }

  /**
   * Starts the same checks for an adapter that keeps no checksum of its own (a local file system):
   * the bytes are hashed only when the content declares a CRC32C to compare them with. A backup's
   * copy declares none, since it hashes the bytes itself as it reads them; hashing them a second
   * time here would only repeat that. End it with {@link #complete()}.
   */
  public static WriteCheck ofDeclared(StoreId store, ObjectKey key, ObjectContent content) {
    return new WriteCheck(store, key, requireNonNull(content, "content is null"), false);
  }

  /**
   * In {@link WriteMode#CREATE_NEW}, refuses before any byte moves when {@code key} is taken. For
   * uploads in parts: the conditional completion still decides a race, this spares sending the
   * parts (and the abort a refused completion needs).
   */
  public static void refuseIfPresent(ObjectReader store, ObjectKey key, WriteMode mode)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(key, "key is null");
    if (requireNonNull(mode, "mode is null").createOnly() && store.stat(key).isPresent()) {
      throw new ObjectAlreadyExistsException(store.id(), key);
    }
  }

  /** The CRC32C the content declares, which the adapter may hand to the service as well. */
  public Optional<Checksum> declaredCrc32c() {
    return declaredCrc32c;
  }

  /**
   * Counts {@code length} bytes of {@code bytes} from {@code offset}, and hashes them if this check
   * hashes.
   *
   * @throws ContentMismatchException when the content has now given more than its declared length
   */
  public void update(byte[] bytes, int offset, int length) throws ContentMismatchException {
    requireNonNull(bytes, "bytes is null");
    checkPositionIndexes(offset, offset + length, bytes.length);
    if (hashing) {
      crc.update(bytes, offset, length);
    }
    received += length;
    if (received > declaredLength) {
      throw new ContentMismatchException(
          key,
          "writing to "
              + store
              + ": the content gave more than its declared "
              + declaredLength
              + " bytes",
          false,
          true);
    }
  }

  /**
   * {@code in}, checked as it is read, for an SDK that reads a body itself and stops at the
   * declared length (so it would never see that the content goes on). When the declared length has
   * been read, the stream looks one byte further and then {@linkplain #complete() completes} the
   * check; a read fails with a {@link ContentMismatchException} when the content is longer, ends
   * early or hashes differently. Use a new check for each stream (an SDK may reopen the body).
   */
  public InputStream checking(InputStream in) {
    requireNonNull(in, "in is null");
    return new FilterInputStream(in) {
      private boolean finished;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
          return -1;
        }
        int read = super.read(bytes, offset, length);
        if (read == -1) {
          finished = true;
          complete();
          return -1;
        }
        update(bytes, offset, read);
        if (received == declaredLength) {
          if (super.read() != -1) {
            update(new byte[1], 0, 1); // one byte too many: refused
          }
          finished = true;
          complete();
        }
        return read;
      }

      @Override
      public long skip(long n) {
        return 0; // every byte must pass through the check
      }
    };
  }

  /** The number of bytes received so far. */
  public long received() {
    return received;
  }

  /**
   * Ends the checks after the last byte.
   *
   * @return the CRC32C of the bytes received
   * @throws ContentMismatchException when fewer bytes than declared were received, or their CRC32C
   *     is not the declared one
   * @throws IllegalStateException for a check made by {@link #ofDeclared} whose content declared no
   *     CRC32C: it hashed nothing
   */
  public Checksum finish() throws ContentMismatchException {
    if (!hashing) {
      throw new IllegalStateException(
          "this check of " + key + " hashes only against a declared CRC32C, and none was declared");
    }
    complete();
    return Checksum.crc32c(crc.getValue());
  }

  /**
   * Ends the checks after the last byte: the length, and the CRC32C when one was declared.
   *
   * @throws ContentMismatchException when fewer bytes than declared were received, or their CRC32C
   *     is not the declared one
   */
  public void complete() throws ContentMismatchException {
    if (received != declaredLength) {
      throw new ContentMismatchException(
          key,
          "writing to "
              + store
              + ": the content gave "
              + received
              + " bytes, not its declared "
              + declaredLength,
          received < declaredLength);
    }
    if (declaredCrc32c.isPresent()) {
      Checksum actual = Checksum.crc32c(crc.getValue());
      if (!declaredCrc32c.get().equals(actual)) {
        throw new ContentMismatchException(
            key,
            "writing to "
                + store
                + ": the content has CRC32C "
                + actual
                + ", declared "
                + declaredCrc32c.get());
      }
    }
  }
}
