package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.Product;
import io.influxbak.store.ObjectLock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One backup found in a store.
 *
 * @param backupId the backup's id
 * @param createdAt when it completed, for a complete backup
 * @param product Core or Enterprise, for a complete backup
 * @param nodes the nodes it holds (from the manifest, or the prefixes found for an incomplete
 *     backup)
 * @param objects objects it holds (from the manifest, or found)
 * @param bytes bytes it holds (from the manifest, or found)
 * @param state whether it is complete, incomplete, unreadable or retired
 * @param problem why its manifest does not read, for an unreadable backup; which earlier backups it
 *     needs are gone, for a broken one; for a complete one, that the source it copied was
 *     inconsistent, if so
 * @param lock the lock the store holds the backup under, as the store reports it: that of its
 *     manifest, or of its start marker when it has none; empty when it has none or the store has no
 *     object locks. Every object a locked backup needs is locked as far ({@code verify} checks
 *     each)
 */
public record BackupSummary(
    String backupId,
    Optional<Instant> createdAt,
    Optional<Product> product,
    List<NodeId> nodes,
    long objects,
    long bytes,
    State state,
    Optional<String> problem,
    Optional<ObjectLock> lock) {
  /** Where a backup is in its life. */
  public enum State {
    /** Its manifest exists and reads: restorable. */
    COMPLETE,
    /**
     * It has a start marker but no manifest: interrupted (resumable) or still running; never
     * restored without an explicit override.
     */
    INCOMPLETE,
    /**
     * Retention removed it ({@link BackupRepository#RETIRED_MARKER}): not restorable; its root
     * keeps only the objects that remaining incremental backups still use, and goes once none does.
     */
    RETIRED,
    /**
     * Its manifest reads, but it reuses objects from an earlier backup that is gone from the store
     * (deleted by hand): not restorable. Retention treats it as complete (it may be kept or removed
     * by the policy; what it references is never deleted while it is kept).
     */
    BROKEN,
    /**
     * Its manifest exists but does not read here: written by a newer influxbak, over the object
     * limit this process can hold, or damaged. It may be complete and may reference objects of
     * earlier backups, so nothing it might use is removed; never treated as incomplete.
     */
    UNREADABLE
  }

  /** Checks the parts. */
  public BackupSummary {
    requireNonNull(state, "state is null");
    requireNonNull(backupId, "backupId is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(product, "product is null");
    requireNonNull(problem, "problem is null");
    requireNonNull(lock, "lock is null");
    nodes = ImmutableList.copyOf(nodes);
  }

  /** Whether the backup is complete, so restorable. */
  public boolean complete() {
    return state == State.COMPLETE;
  }
}
