package io.influxbak.plan;

import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.ContentMismatchException;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream;
import io.influxbak.transfer.HashingInputStream.Hashes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies one object, proving what it copied: a streamed copy hashes the bytes as they pass and fails before
 * the last byte if they are not what was expected; a server-side copy (same store, one that keeps native
 * checksums) moves no bytes through this JVM and takes the store's checksum. Transient failures are retried
 * per the {@link RetryPolicy}; a cancelled operation fails the copy at its next read, publishing nothing.
 */
final class ObjectCopier {
  /** Kinds the server rewrites in place: their size is read again just before each attempt. */
  private static final Set<ObjectKind> MUTABLE =
      ImmutableSet.of(
          ObjectKind.CATALOG_CHECKPOINT,
          ObjectKind.TABLE_INDEX,
          ObjectKind.TABLE_INDEX_CONVERSION_MARKER,
          ObjectKind.UNKNOWN);

  /** How copies are made. */
  record Settings(WriteMode mode, Hashes hashes, RetryPolicy retry, CancellationHandle cancellation, String operation) {}

  private final ObjectStore source;
  private final KeyPrefix sourceRoot;
  private final ObjectStore destination;
  private final KeyPrefix destinationRoot;
  private final Settings settings;
  private final boolean serverSide;

  /**
   * Copies node key {@code k} from {@code sourceRoot + k} in {@code source} to {@code destinationRoot + k} in
   * {@code destination}.
   */
  ObjectCopier(ObjectStore source, KeyPrefix sourceRoot, ObjectStore destination, KeyPrefix destinationRoot, Settings settings) {
    this.source = source;
    this.sourceRoot = sourceRoot;
    this.destination = destination;
    this.destinationRoot = destinationRoot;
    this.settings = settings;
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

  /**
   * Copies {@code step}, checking the bytes against {@code expected} when given (else against the planned
   * size, or the current size for objects rewritten in place), trying again after transient failures.
   *
   * @throws ObjectNotFoundException if the source object does not exist (any more)
   * @throws ContentMismatchException if the bytes are not what was expected
   * @throws OperationCancelledException if the operation was cancelled
   */
  CopiedObject copy(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    for (int attempt = 1; ; attempt++) {
      checkNotCancelled();
      try {
        return serverSide ? copyInStore(step, expected) : stream(step, expected);
      } catch (ObjectAlreadyExistsException e) {
        if (attempt == 1) {
          throw e;
        }
        // An earlier attempt may have published before its failure was reported (a timed-out PUT that landed).
        Optional<CopiedObject> landed = earlierAttempt(step);
        if (landed.isEmpty()) {
          throw e;
        }
        return landed.get();
      } catch (OperationCancelledException e) {
        throw e;
      } catch (IOException e) {
        boolean rewrittenWhileRead = e instanceof ContentMismatchException && expected.isEmpty() && MUTABLE.contains(step.kind());
        if (attempt >= settings.retry().maxAttempts() || !(RetryPolicy.isTransient(e) || rewrittenWhileRead)) {
          throw e;
        }
        try {
          settings.retry().backoff(attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw cancelled();
        }
      }
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
                new HashingInputStream(cancellable(raw != null ? raw : source.open(from)), from, settings.hashes(), Optional.of(want));
            last.set(hashing);
            return hashing;
          }

          @Override
          public Set<Checksum> knownChecksums() {
            return want.crc32c().map(ImmutableSet::of).orElse(ImmutableSet.of());
          }
        };
    try {
      destination.write(to, content, settings.mode());
    } finally {
      InputStream never = unused.getAndSet(null);
      if (never != null) {
        never.close();
      }
    }
    HashingInputStream hashed = last.get();
    if (hashed == null || hashed.count() != want.size()) {
      throw new ContentMismatchException(from, "the destination took " + (hashed == null ? 0 : hashed.count()) + " of " + want.size() + " bytes", false, true);
    }
    return new CopiedObject(step.key(), step.kind(), step.phase(), want.size(), Optional.of(hashed.crc32c()), hashed.sha256());
  }

  private CopiedObject copyInStore(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    ObjectKey from = sourceKey(step);
    ObjectKey to = destinationRoot.resolve(step.key());
    ObjectInfo copied = destination.copy(from, to, settings.mode());
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
            from, sizeDiffers ? "size " + copied.size() + ", expected " + want.size() : crc32c.get() + ", expected " + want.crc32c().get(), false, sizeDiffers);
      }
    }
    return new CopiedObject(step.key(), step.kind(), step.phase(), copied.size(), crc32c, Optional.empty());
  }

  /**
   * The object an earlier attempt published, if source and target agree on size and on a native CRC32C
   * both stores report; without such proof the target is not trusted (and the copy fails).
   */
  private Optional<CopiedObject> earlierAttempt(CopyStep step) throws IOException {
    Optional<ObjectInfo> from = source.stat(sourceKey(step));
    Optional<ObjectInfo> to = destination.stat(destinationRoot.resolve(step.key()));
    if (from.isEmpty() || to.isEmpty() || from.get().size() != to.get().size()) {
      return Optional.empty();
    }
    Optional<Checksum> sourceCrc = from.get().checksum(ChecksumAlgorithm.CRC32C);
    if (sourceCrc.isEmpty() || !sourceCrc.equals(to.get().checksum(ChecksumAlgorithm.CRC32C))) {
      return Optional.empty();
    }
    return Optional.of(new CopiedObject(step.key(), step.kind(), step.phase(), to.get().size(), sourceCrc, Optional.empty()));
  }

  private long currentSize(ObjectKey key) throws IOException {
    return source.stat(key).orElseThrow(() -> new ObjectNotFoundException(source.id(), key)).size();
  }

  private void checkNotCancelled() throws OperationCancelledException {
    if (settings.cancellation().isCancelled() || Thread.currentThread().isInterrupted()) {
      throw cancelled();
    }
  }

  private OperationCancelledException cancelled() {
    return new OperationCancelledException(settings.operation());
  }

  /** Fails the read, and so the write that consumes it, once the operation is cancelled. */
  private InputStream cancellable(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        checkNotCancelled();
        return super.read();
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        checkNotCancelled();
        return super.read(buffer, offset, length);
      }
    };
  }
}
