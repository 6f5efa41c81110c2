package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.io.IOException;
import javax.annotation.Nullable;

/**
 * A snapshot or table-index file that cannot be trusted: bad or truncated JSON, an empty file, a missing or
 * invalid field, a number out of range, a sequence that disagrees with the file name, or a Parquet path
 * outside the node prefix. The message names the object and the reason.
 */
public final class SnapshotFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ObjectKey key;

  /**
   * @param key the file
   * @param reason what is wrong
   * @param cause the underlying error, if any
   */
  public SnapshotFormatException(ObjectKey key, String reason, @Nullable Throwable cause) {
    super("Invalid snapshot file " + requireNonNull(key, "key is null") + ": " + requireNonNull(reason, "reason is null"), cause);
    this.key = key;
  }

  /** The file. */
  public ObjectKey key() {
    return key;
  }
}
