package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One backup found in a store.
 *
 * @param backupId the backup's id
 * @param createdAt when it completed, for a complete backup
 * @param product Core or Enterprise, for a complete backup
 * @param nodes the nodes it holds (from the manifest, or the prefixes found for an incomplete backup)
 * @param objects objects it holds (from the manifest, or found)
 * @param bytes bytes it holds (from the manifest, or found)
 * @param complete whether its manifest exists and reads; an incomplete backup must not be restored without
 *     an explicit override
 */
public record BackupSummary(
    String backupId, Optional<Instant> createdAt, Optional<Product> product, List<String> nodes, long objects, long bytes, boolean complete) {
  /** Checks the parts. */
  public BackupSummary {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(product, "product is null");
    nodes = ImmutableList.copyOf(nodes);
  }
}
