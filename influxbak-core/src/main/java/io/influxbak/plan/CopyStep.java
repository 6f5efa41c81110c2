package io.influxbak.plan;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectKey;

/**
 * One object to copy.
 *
 * @param source the key in the source store
 * @param target the key in the destination store
 * @param kind what the object is
 * @param phase the phase that copies it
 * @param size its size when planned (mutable kinds are stat'ed again just before the copy)
 */
public record CopyStep(ObjectKey source, ObjectKey target, ObjectKind kind, CopyPhase phase, long size) {
  /** Checks the parts. */
  public CopyStep {
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    checkArgument(phase.kinds().contains(kind), "%s is not copied in phase %s", kind, phase);
    checkArgument(size >= 0, "negative size for %s", source);
  }
}
