package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import javax.annotation.Nullable;

/**
 * A manifest cannot be trusted: malformed JSON, a missing or invalid field, an unsafe or duplicate
 * key, a key outside the backup's node prefixes, or a format version newer than this library reads.
 * The message names the manifest and the reason. Nothing was restored from it.
 */
public class ManifestException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param manifest the manifest's key
   * @param reason what is wrong
   * @param cause the underlying error, if any
   */
  public ManifestException(String manifest, String reason, @Nullable Throwable cause) {
    super(
        "Invalid manifest "
            + requireNonNull(manifest, "manifest is null")
            + ": "
            + requireNonNull(reason, "reason is null"),
        cause);
  }
}
