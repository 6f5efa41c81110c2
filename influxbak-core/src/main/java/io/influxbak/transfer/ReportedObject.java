package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectKey;

/**
 * An object a plan wants the caller to know about: copied but not understood, left out, or gone
 * before it could be copied.
 *
 * @param key the source key
 * @param kind what the object is
 * @param disposition what happened to it
 * @param reason why, in words
 */
public record ReportedObject(
    ObjectKey key, ObjectKind kind, Disposition disposition, String reason) {
  /** What happened to a reported object. */
  public enum Disposition {
    /** Copied, but its kind is not modelled by influxbak. */
    COPIED_UNKNOWN,
    /** Left out on purpose (by default or by an option). */
    EXCLUDED,
    /** Listed, then deleted by the server before it was copied (for kinds the server deletes). */
    VANISHED,
    /** An optional object that is not there (an Enterprise licence file); not an error. */
    ABSENT,
    /**
     * Deleted from a restore target because the restore was asked to replace the node and the
     * backup lacks it.
     */
    DELETED
  }

  /** Checks that no component is null. */
  public ReportedObject {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(disposition, "disposition is null");
    requireNonNull(reason, "reason is null");
  }
}
