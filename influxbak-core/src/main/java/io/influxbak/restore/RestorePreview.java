package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.CopyStep;
import java.util.List;

/**
 * What a restore would do, computed without writing anything.
 *
 * @param backupId the backup
 * @param complete whether the backup has a manifest
 * @param steps every object to restore, in restore order
 * @param existing objects already in the target's node prefixes (the first ten of each): a restore
 *     refuses them unless asked to replace
 */
public record RestorePreview(
    String backupId, boolean complete, List<CopyStep> steps, List<ObjectKey> existing) {
  /** Copies the lists. */
  public RestorePreview {
    requireNonNull(backupId, "backupId is null");
    steps = ImmutableList.copyOf(steps);
    existing = ImmutableList.copyOf(existing);
  }

  /** Bytes to restore. */
  public long byteCount() {
    return steps.stream().mapToLong(CopyStep::size).sum();
  }
}
