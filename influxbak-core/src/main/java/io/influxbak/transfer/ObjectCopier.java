package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.DataKey;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Function;

/**
 * Copies one object, proving what it copied: a streamed copy hashes the bytes as they pass and
 * fails before the last byte if they are not what was expected; a server-side copy (same store, one
 * that keeps native checksums) moves no bytes through this JVM and takes the store's checksum.
 * Transient failures are retried per the {@link RetryPolicy}; a cancelled operation fails the copy
 * at its next read, publishing nothing.
 */
public final class ObjectCopier {

  /**
   * Where a step's bytes are read, and how they are encoded there.
   *
   * @param dataKey the data key of the backup that holds them, when they are encrypted
   */
  public record Source(ObjectKey key, Encoding encoding, Optional<DataKey> dataKey) {
    /** Bytes that are not encrypted. */
    public Source(ObjectKey key, Encoding encoding) {
      this(key, encoding, Optional.empty());
    }
  }

  private final ObjectStore source;
  private final Function<CopyStep, Source> sourceOf;
  private final ObjectStore destination;
  private final KeyPrefix destinationRoot;
  private final CopySettings settings;
  private final boolean serverSide;

  private final boolean declaresCrc32c; // see StreamedContent

  /**
   * Copies node key {@code k} from {@code sourceRoot + k} in {@code source} to {@code
   * destinationRoot + k} in {@code destination}.
   */
  public ObjectCopier(
      ObjectStore source,
      KeyPrefix sourceRoot,
      ObjectStore destination,
      KeyPrefix destinationRoot,
      CopySettings settings) {
    this(source, sourceRootOf(sourceRoot), destination, destinationRoot, settings);
  }

  /**
   * Copies node key {@code k} from where {@code sourceOf} says to {@code destinationRoot + k} in
   * {@code destination}.
   */
  public ObjectCopier(
      ObjectStore source,
      Function<CopyStep, Source> sourceOf,
      ObjectStore destination,
      KeyPrefix destinationRoot,
      CopySettings settings) {
    this.source = requireNonNull(source, "source is null");
    this.sourceOf = requireNonNull(sourceOf, "sourceOf is null");
    this.destination = requireNonNull(destination, "destination is null");
    this.destinationRoot = requireNonNull(destinationRoot, "destinationRoot is null");
    this.settings = requireNonNull(settings, "settings is null");
    // Same store and it can vouch for the content natively: let the store copy. Otherwise stream
    // and hash (a file system keeps no checksums, so hashing while copying is how the manifest
    // gets them).
    this.serverSide =
        source == destination
            && source.capabilities().serverSideCopy()
            && source.capabilities().statChecksums().contains(ChecksumAlgorithm.CRC32C);
    this.declaresCrc32c =
        destination.capabilities().statChecksums().contains(ChecksumAlgorithm.CRC32C);
  }

  private static Function<CopyStep, Source> sourceRootOf(KeyPrefix sourceRoot) {
    requireNonNull(sourceRoot, "sourceRoot is null");
    return step -> new Source(sourceRoot.resolve(step.key()), Encoding.IDENTITY);
  }

  /** The key a step reads. */
  public ObjectKey sourceKey(CopyStep step) {
    return sourceOf.apply(step).key();
  }

  /** Where a step reads, and how the bytes are encoded there. */
  public Source source(CopyStep step) {
    return sourceOf.apply(step);
  }

  /**
   * Copies {@code step}, checking the bytes against {@code expected} when given (else against the
   * planned size, or the current size for objects rewritten in place), trying again after transient
   * failures.
   *
   * @throws ObjectNotFoundException if the source object does not exist (any more)
   * @throws ContentMismatchException if the bytes are not what was expected
   * @throws OperationCancelledException if the operation was cancelled
   */
  public ManifestEntry copy(CopyStep step, Optional<ExpectedContent> expected) throws IOException {
    for (int attempt = 1; ; attempt++) {
      checkNotCancelled();
      try {
        Optional<ManifestEntry> kept = reusable(step, expected);
        if (kept.isPresent()) {
          return kept.get();
        }
        Source from = sourceOf.apply(step);
        Encoding stored =
            Encoding.of(
                settings.compression().compresses(step.kind()), settings.encryption().isPresent());
        if (stored != Encoding.IDENTITY) {
          return encode(step, from, expected, stored);
        }
        return serverSide && from.encoding() == Encoding.IDENTITY
            ? copyInStore(step, expected)
            : stream(step, from, expected);
      } catch (ObjectAlreadyExistsException e) {
        if (attempt == 1) {
          throw e;
        }
        // An earlier attempt may have published before its failure was reported (a timed-out PUT
        // that landed).
        Optional<ManifestEntry> landed = earlierAttempt(step);
        if (landed.isEmpty()) {
          throw e;
        }
        return landed.get();
      } catch (OperationCancelledException e) {
        throw e;
      } catch (IOException e) {
        boolean rewrittenWhileRead =
            e instanceof ContentMismatchException
                && expected.isEmpty()
                && step.kind().rewrittenInPlace();
        if (attempt >= settings.retry().maxAttempts()
            || !(RetryPolicy.isTransient(e) || rewrittenWhileRead)) {
          throw e;
        }
        try {
          settings.retry().retryAfter("copy " + step.key(), attempt, e);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw cancelled();
        }
      }
    }
  }

  /**
   * What the step can keep without copying (a backup's journal or parent), if anything: what {@link
   * #copy} would keep without a copy.
   */
  public Optional<ManifestEntry> reusable(CopyStep step, Optional<ExpectedContent> expected)
      throws IOException {
    if (settings.reuse() == ReusableCopies.NONE || expected.isPresent()) {
      return Optional.empty();
    }
    ObjectKey from = sourceKey(step);
    return settings
        .reuse()
        .find(
            step,
            source,
            from,
            step.kind().rewrittenInPlace() ? currentSize(from) : step.size(),
            settings.hashes());
  }

  /** The source's bytes as the object holds them, decoded if the source keeps them encoded. */
  private InputStream openDecoded(Source from) throws IOException {
    return from.encoding().decode(source.open(from.key()), from.key().toString(), from.dataKey());
  }

  private ExpectedContent expectedContent(
      CopyStep step, ObjectKey from, Optional<ExpectedContent> expected) throws IOException {
    return expected.isPresent()
        ? expected.get()
        : ExpectedContent.ofSize(step.kind().rewrittenInPlace() ? currentSize(from) : step.size());
  }

  /**
   * Encrypts the object as it streams to the store ({@link EncryptedUpload}), or compresses (and
   * perhaps encrypts) it into a staged copy ({@link EncodedStage}), hashing the original bytes as
   * they pass; a staged copy is written under the key plus the encoding's suffix with its CRC32C
   * declared, so the store checks it.
   */
  private ManifestEntry encode(
      CopyStep step, Source from, Optional<ExpectedContent> expected, Encoding encoding)
      throws IOException {
    ExpectedContent want = expectedContent(step, from.key(), expected);
    ObjectKey to = destinationRoot.resolve(step.key() + encoding.suffix());
    if (encoding == Encoding.ENCRYPTED) { // its size is known: streamed, not staged
      try (EncryptedUpload upload =
          EncryptedUpload.open(
              () -> cancellable(openDecoded(from), from.key()),
              from.key(),
              settings.hashes(),
              want,
              settings.encryption().orElseThrow(),
              to)) {
        destination.write(to, upload, settings.mode());
        HashingInputStream plain = upload.plaintext();
        return new ManifestEntry(
            step.key(),
            step.kind(),
            step.phase(),
            want.size(),
            Optional.of(plain.crc32c()),
            plain.sha256(),
            new StoredCopy(
                Optional.empty(), encoding, upload.length(), Optional.of(upload.storedCrc32c())));
      }
    }
    HashingInputStream original =
        new HashingInputStream(
            cancellable(openDecoded(from), from.key()),
            from.key(),
            settings.hashes(),
            Optional.of(want));
    try (EncodedStage staged =
        EncodedStage.of(
            original, encoding, settings.compression().level(), settings.encryption(), to)) {
      destination.write(to, staged.content(), settings.mode());
      return new ManifestEntry(
          step.key(),
          step.kind(),
          step.phase(),
          want.size(),
          Optional.of(original.crc32c()),
          original.sha256(),
          new StoredCopy(Optional.empty(), encoding, staged.size(), Optional.of(staged.crc32c())));
    }
  }

  private ManifestEntry stream(CopyStep step, Source origin, Optional<ExpectedContent> expected)
      throws IOException {
    ObjectKey from = origin.key();
    ObjectKey to = destinationRoot.resolve(step.key());
    ExpectedContent want =
        origin.encoding() == Encoding.IDENTITY
            ? expectedContent(step, from, expected)
            : expected.orElseThrow();
    StreamedContent content =
        new StreamedContent(
            from,
            want,
            settings.hashes(),
            declaresCrc32c,
            () -> cancellable(openDecoded(origin), from));
    try {
      destination.write(to, content, settings.mode());
    } finally {
      content.closeUnused();
    }
    HashingInputStream hashed = content.whole();
    return new ManifestEntry(
        step.key(),
        step.kind(),
        step.phase(),
        want.size(),
        Optional.of(hashed.crc32c()),
        hashed.sha256());
  }

  private ManifestEntry copyInStore(CopyStep step, Optional<ExpectedContent> expected)
      throws IOException {
    ObjectKey from = sourceKey(step);
    ObjectKey to = destinationRoot.resolve(step.key());
    ObjectInfo copied = destination.copy(from, to, settings.mode());
    announce(from, copied.size());
    Optional<Checksum> crc32c = copied.checksum(ChecksumAlgorithm.CRC32C);
    if (crc32c.isEmpty()) {
      copied =
          destination.stat(to).orElseThrow(() -> new ObjectNotFoundException(destination.id(), to));
      crc32c = copied.checksum(ChecksumAlgorithm.CRC32C);
    }
    if (expected.isPresent()) {
      ExpectedContent want = expected.get();
      boolean sizeDiffers = copied.size() != want.size();
      boolean crcDiffers =
          want.crc32c().isPresent() && crc32c.isPresent() && !want.crc32c().equals(crc32c);
      if (sizeDiffers || crcDiffers) {
        destination.delete(to); // we created it just now; do not leave wrong content behind
        throw new ContentMismatchException(
            from,
            sizeDiffers
                ? "size " + copied.size() + ", expected " + want.size()
                : crc32c.get() + ", expected " + want.crc32c().get(),
            false,
            sizeDiffers);
      }
    }
    return new ManifestEntry(
        step.key(), step.kind(), step.phase(), copied.size(), crc32c, Optional.empty());
  }

  /**
   * The object an earlier attempt published, if source and target agree on size and on a native
   * CRC32C both stores report; without such proof the target is not trusted (and the copy fails).
   */
  private Optional<ManifestEntry> earlierAttempt(CopyStep step) throws IOException {
    Optional<ObjectInfo> from = source.stat(sourceKey(step));
    Optional<ObjectInfo> to = destination.stat(destinationRoot.resolve(step.key()));
    if (from.isEmpty() || to.isEmpty() || from.get().size() != to.get().size()) {
      return Optional.empty();
    }
    Optional<Checksum> sourceCrc = from.get().checksum(ChecksumAlgorithm.CRC32C);
    if (sourceCrc.isEmpty() || !sourceCrc.equals(to.get().checksum(ChecksumAlgorithm.CRC32C))) {
      return Optional.empty();
    }
    return Optional.of(
        new ManifestEntry(
            step.key(), step.kind(), step.phase(), to.get().size(), sourceCrc, Optional.empty()));
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

  /**
   * {@code in}, failing its next read (and so the write that consumes it) once the operation is
   * cancelled, and telling the listener of the bytes read as they pass.
   */
  private InputStream cancellable(InputStream in, ObjectKey from) {
    return new WatchedInputStream(in, this::checkNotCancelled, bytes -> announce(from, bytes));
  }

  private void announce(ObjectKey from, long bytes) {
    if (bytes > 0 && settings.progress() != ProgressListener.NONE) {
      Listeners.tell(() -> settings.progress().bytesTransferred(from, bytes));
    }
  }
}
