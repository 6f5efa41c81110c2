package io.influxbak.retention;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.ObjectLock;
import java.util.List;
import java.util.Map;

/**
 * What a prune did, or in a dry run would do.
 *
 * @param dryRun whether nothing was changed
 * @param decisions one per backup found, newest complete first
 * @param objectsDeleted data objects deleted (or that would be)
 * @param bytesFreed their bytes
 * @param removed backups now gone entirely (or that would be)
 * @param retained retired backups whose roots still hold objects newer incremental backups use; a
 *     later prune removes them once none does, or that locks still hold
 * @param locked the retired backups with objects a lock still holds (never deleted), each with the
 *     latest such lock: when a later prune can remove the rest
 */
public record PruneResult(
    boolean dryRun,
    List<PruneDecision> decisions,
    long objectsDeleted,
    long bytesFreed,
    List<String> removed,
    List<String> retained,
    Map<String, ObjectLock> locked) {
  /** Checks the parts and copies the lists. */
  public PruneResult {
    decisions = ImmutableList.copyOf(requireNonNull(decisions, "decisions is null"));
    removed = ImmutableList.copyOf(removed);
    retained = ImmutableList.copyOf(retained);
    locked = ImmutableMap.copyOf(locked);
  }
}
