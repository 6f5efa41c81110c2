package io.influxbak.plan;

import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.ContentMismatchException;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream;
import io.influxbak.transfer.HashingInputStream.HashSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies one object, proving what it copied: a streamed copy hashes the bytes as they pass and fails before
 * the last byte if they are not what was expected; a server-side copy (same store, one that keeps native
 * checksums) moves no bytes through this JVM and takes the store's checksum.
 */
final class ObjectCopier {
  /** Kinds the server rewrites in place: their size is read again just before the copy, and one retry is allowed. */
  private static final Set<ObjectKind> MUTABLE =
      ImmutableSet.of(
          ObjectKind.CATALOG_CHECKPOINT,
          ObjectKind.TABLE_INDEX,
          ObjectKind.TABLE_INDEX_CONVERSION_MARKER,
          ObjectKind.UNKNOWN);

  private final ObjectStore source;
  private final KeyPrefix sourceRoot;
  private final ObjectStore destination;
  private final KeyPrefix destinationRoot;
  private final WriteMode mode;
  private final HashSet hashes;
  private final boolean serverSide;

  /**
   * Copies node key {@code k} from {@code sourceRoot + k} in {@code source} to {@code destinationRoot + k} in
   * {@code destination}.
   */
  ObjectCopier(
      ObjectStore source, KeyPrefix sourceRoot, ObjectStore destination, KeyPrefix destinationRoot, WriteMode mode, HashSet hashes) {
    this.source = source;
    this.sourceRoot = sourceRoot;
    this.destination = destination;
    this.destinationRoot = destinationRoot;
    this.mode = mode;
    this.hashes = hashes;
    // Same store and it can vouch for the content natively: let the store copy. Otherwise stream and hash
    // (a file system keeps no checksums, so hashing while copying is how the manifest gets them).
    this.serverSide =
        source == destination
            && source.capabilities().serverSideCopy()
            && source.capabilities().statChecksums().contains(ChecksumAlgorithm.CRC32C);
  }

  /** The key a step reads. */
  ObjectKey sourceKey(CopyStep step) {
    return sourceRoot.resolve(step.key());
  }

  /** Whether copies run inside the store, without reading object bytes. */
  boolean serverSide() {
    return serverSide;
  }

  /**
   * Copies {@code step}, checking the bytes against {@code expected} when given (else against the planned
   * size, or the current size for objects rewritten in place).
   *
   * @throws ObjectNotFoundException if the source object does not exist (any more)
   * @throws ContentMismatchException if the bytes are not what was expected
   */
  CopiedObject copy(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    if (serverSide) {
      return copyInStore(step, expected);
    }
    try {
      return stream(step, expected);
    } catch (ContentMismatchException e) {
      if (expected.isPresent() || !MUTABLE.contains(step.kind())) {
        throw e;
      }
      return stream(step, expected); // rewritten while we read it: once more, with its new size
    }
  }

  private CopiedObject stream(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    ObjectKey from = sourceKey(step);
    ObjectKey to = destinationRoot.resolve(step.key());
    ExpectedContent want =
        expected.isPresent()
            ? expected.get()
            : ExpectedContent.ofSize(MUTABLE.contains(step.kind()) ? currentSize(from) : step.size());
    AtomicReference<InputStream> unused = new AtomicReference<>(source.open(from));
    AtomicReference<HashingInputStream> last = new AtomicReference<>();
    ObjectContent content =
        new ObjectContent() {
          @Override
          public long length() {
            return want.size();
          }

          @Override
          public InputStream openStream() throws IOException {
            // The first stream was opened up front so that a vanished source is reported as such;
            // later calls (SDK retries) open the source again.
            InputStream raw = unused.getAndSet(null);
            HashingInputStream hashing =
                new HashingInputStream(raw != null ? raw : source.open(from), from, hashes, Optional.of(want));
            last.set(hashing);
            return hashing;
          }

          @Override
          public Set<Checksum> knownChecksums() {
            return want.crc32c().map(ImmutableSet::of).orElse(ImmutableSet.of());
          }
        };
    try {
      destination.write(to, content, mode);
    } finally {
      InputStream never = unused.getAndSet(null);
      if (never != null) {
        never.close();
      }
    }
    HashingInputStream hashed = last.get();
    if (hashed == null || hashed.count() != want.size()) {
      throw new ContentMismatchException(
          from, "the destination took " + (hashed == null ? 0 : hashed.count()) + " of " + want.size() + " bytes");
    }
    return new CopiedObject(step.key(), step.kind(), step.phase(), want.size(), Optional.of(hashed.crc32c()), hashed.sha256());
  }

  private CopiedObject copyInStore(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    ObjectKey from = sourceKey(step);
    ObjectKey to = destinationRoot.resolve(step.key());
    ObjectInfo copied = destination.copy(from, to, mode);
    Optional<Checksum> crc32c = copied.checksum(ChecksumAlgorithm.CRC32C);
    if (crc32c.isEmpty()) {
      copied = destination.stat(to).orElseThrow(() -> new ObjectNotFoundException(destination.id(), to));
      crc32c = copied.checksum(ChecksumAlgorithm.CRC32C);
    }
    if (expected.isPresent()) {
      ExpectedContent want = expected.get();
      boolean sizeDiffers = copied.size() != want.size();
      boolean crcDiffers = want.crc32c().isPresent() && crc32c.isPresent() && !want.crc32c().equals(crc32c);
      if (sizeDiffers || crcDiffers) {
        destination.delete(to); // we created it just now; do not leave wrong content behind
        throw new ContentMismatchException(
            from,
            sizeDiffers ? "size " + copied.size() + ", expected " + want.size() : crc32c.get() + ", expected " + want.crc32c().get());
      }
    }
    return new CopiedObject(step.key(), step.kind(), step.phase(), copied.size(), crc32c, Optional.empty());
  }

  private long currentSize(ObjectKey key) throws IOException {
    return source.stat(key).orElseThrow(() -> new ObjectNotFoundException(source.id(), key)).size();
  }
}
