package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectKey;

/**
 * One object to copy, named by its node key ({@code <node-id>/...}); the plan maps it to the key it
 * reads (the node key itself in a backup, {@code <backup-id>/<node key>} in a restore) and the key
 * it writes. One key per step, not two: a plan may hold millions.
 *
 * @param key the object's node key
 * @param kind what the object is
 * @param phase the phase that copies it
 * @param size its size when planned (mutable kinds are stat'ed again just before the copy)
 */
public record CopyStep(ObjectKey key, ObjectKind kind, CopyPhase phase, long size) {
  /** Checks the parts. */
  public CopyStep {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    checkArgument(phase.kinds().contains(kind), "%s is not copied in phase %s", kind, phase);
    checkArgument(size >= 0, "negative size for %s", key);
  }
}
