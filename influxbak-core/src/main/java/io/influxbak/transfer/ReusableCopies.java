package io.influxbak.transfer;

import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * What a copy may keep instead of copying: an earlier copy of the same bytes that a backup already
 * holds (its own journal's, or an earlier backup's). The copier asks before each copy; the backup
 * decides by its own rules.
 */
@FunctionalInterface
public interface ReusableCopies {
  /** Nothing is ever reused: every step is copied. */
  ReusableCopies NONE = (step, source, sourceKey, currentSize, hashes) -> Optional.empty();

  /**
   * The entry {@code step} keeps instead of a copy, if any.
   *
   * @param source the store the step reads
   * @param sourceKey the key the step reads
   * @param currentSize the source's size now (the planned size for kinds never rewritten in place)
   * @param hashes the hashes a copy would compute, for a check that reads the source
   */
  Optional<ManifestEntry> find(
      CopyStep step, ObjectStore source, ObjectKey sourceKey, long currentSize, Hashes hashes)
      throws IOException;
}
