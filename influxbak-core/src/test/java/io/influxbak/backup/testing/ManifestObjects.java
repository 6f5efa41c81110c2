package io.influxbak.backup.testing;

import io.influxbak.manifest.BackupManifest;
import java.util.List;

/** What a manifest says of each object, as comparable lines: all but when it was written. */
public final class ManifestObjects {
  private ManifestObjects() {}

  /**
   * One line per object, sorted: key, kind, phase, size, CRC32C, SHA-256, stored encoding, and the
   * backup holding a reused copy.
   */
  public static List<String> lines(BackupManifest manifest) {
    return manifest.entries().stream()
        .map(
            e ->
                String.join(
                    " ",
                    e.key().toString(),
                    e.kind().name(),
                    e.phase().name(),
                    Long.toString(e.size()),
                    e.crc32c().map(Object::toString).orElse("-"),
                    e.sha256().map(Object::toString).orElse("-"),
                    e.stored().encoding().name(),
                    e.stored().backupId().orElse("-")))
        .sorted()
        .toList();
  }
}
