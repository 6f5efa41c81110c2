package io.influxbak.transfer;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;

/**
 * What a streamed copy hands the destination: the source's bytes, hashed as they are read and
 * refused before their last byte if they are not what is expected. The first stream is opened up
 * front, so that a vanished source is reported as such; later opens (an SDK's retries) read the
 * source again.
 */
final class StreamedContent implements ObjectContent {
  /** Opens the source's bytes, from the first. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  private final ObjectKey from;
  private final ExpectedContent want;
  private final HashingInputStream.Hashes hashes;
  private final boolean declaresCrc32c;
  private final Opener opener;
  private final AtomicReference<InputStream> unused;
  private final AtomicReference<HashingInputStream> last = new AtomicReference<>();

  /**
   * The content of the source {@code opener} opens, opened once now.
   *
   * @param declaresCrc32c whether the expected CRC32C is declared to the destination: only to a
   *     store that keeps CRC32C, which has its service check what arrived. These streams refuse
   *     wrong content before the last byte, so a store that keeps no checksum (a file system) would
   *     only hash the same bytes a second time in this process
   */
  StreamedContent(
      ObjectKey from,
      ExpectedContent want,
      HashingInputStream.Hashes hashes,
      boolean declaresCrc32c,
      Opener opener)
      throws IOException {
    this.from = from;
    this.want = want;
    this.hashes = hashes;
    this.declaresCrc32c = declaresCrc32c;
    this.opener = opener;
    this.unused = new AtomicReference<>(opener.open());
  }

  @Override
  public long length() {
    return want.size();
  }

  @Override
  public InputStream openStream() throws IOException {
    InputStream raw = unused.getAndSet(null);
    HashingInputStream hashing =
        new HashingInputStream(raw != null ? raw : opener.open(), from, hashes, Optional.of(want));
    last.set(hashing);
    return hashing;
  }

  @Override
  public Set<Checksum> knownChecksums() {
    return declaresCrc32c
        ? want.crc32c().map(ImmutableSet::of).orElse(ImmutableSet.of())
        : ImmutableSet.of();
  }

  /** Closes the first stream if the destination never opened it. */
  void closeUnused() throws IOException {
    InputStream never = unused.getAndSet(null);
    if (never != null) {
      never.close();
    }
  }

  /**
   * The stream the destination read last, once it took every expected byte.
   *
   * @throws ContentMismatchException if it took fewer
   */
  HashingInputStream whole() throws ContentMismatchException {
    @Nullable HashingInputStream hashed = last.get();
    if (hashed == null || hashed.count() != want.size()) {
      throw new ContentMismatchException(
          from,
          "the destination took "
              + (hashed == null ? 0 : hashed.count())
              + " of "
              + want.size()
              + " bytes",
          false,
          true);
    }
    return hashed;
  }
}
