package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.io.IOException;
import javax.annotation.Nullable;

/**
 * A snapshot file, table index or table-index conversion marker that cannot be trusted: bad or
 * truncated JSON, an empty file, a missing or invalid field, a number out of range, a sequence that
 * disagrees with the file name, a Parquet path outside the node's {@code dbs/}, or a file over the
 * size limit. The message names the object and the reason.
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
    super(
        "Invalid "
            + what(requireNonNull(key, "key is null"))
            + " "
            + key
            + ": "
            + requireNonNull(reason, "reason is null"),
        cause);
    this.key = key;
  }

  /** What the file is, by its name, for the message. */
  private static String what(ObjectKey key) {
    if (key.name().equals("index.info.json")) {
      return "table index";
    }
    return key.name().equals("table-index-conversion-completed")
        ? "table-index conversion marker"
        : "snapshot file";
  }

  /** The file. */
  public ObjectKey key() {
    return key;
  }
}
