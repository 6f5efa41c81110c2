package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.DataKey;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.WriteMode;
import java.util.Optional;

/**
 * How an {@link ObjectCopier} makes copies.
 *
 * @param compression how written copies are compressed (a restore writes them plain)
 * @param encryption the data key written copies are encrypted with (a backup's, when encrypted; a
 *     restore writes them plain)
 * @param reuse what a backup keeps without copying
 * @param progress hears the bytes as they move
 */
public record CopySettings(
    WriteMode mode,
    Hashes hashes,
    RetryPolicy retry,
    CancellationHandle cancellation,
    String operation,
    Compression compression,
    Optional<DataKey> encryption,
    ReusableCopies reuse,
    ProgressListener progress) {
  /** Checks the parts. */
  public CopySettings {
    requireNonNull(mode, "mode is null");
    requireNonNull(hashes, "hashes is null");
    requireNonNull(retry, "retry is null");
    requireNonNull(cancellation, "cancellation is null");
    requireNonNull(operation, "operation is null");
    requireNonNull(compression, "compression is null");
    requireNonNull(encryption, "encryption is null");
    requireNonNull(reuse, "reuse is null");
    requireNonNull(progress, "progress is null");
  }

  /** Plain copies, nothing reused, nobody watching byte by byte. */
  public CopySettings(
      WriteMode mode,
      Hashes hashes,
      RetryPolicy retry,
      CancellationHandle cancellation,
      String operation) {
    this(
        mode,
        hashes,
        retry,
        cancellation,
        operation,
        Compression.none(),
        Optional.empty(),
        ReusableCopies.NONE,
        ProgressListener.NONE);
  }
}
