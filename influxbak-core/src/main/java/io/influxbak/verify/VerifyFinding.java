package io.influxbak.verify;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;

/**
 * One problem a verify found.
 *
 * @param key the object, by its key in the backup store
 * @param problem what is wrong
 * @param detail the specifics (expected and actual values)
 */
public record VerifyFinding(ObjectKey key, Problem problem, String detail) {
  /** What can be wrong with a backed-up object. */
  public enum Problem {
    /** The backup has no (readable) manifest. */
    NO_MANIFEST,
    /** The manifest lists it; the store does not hold it. */
    MISSING,
    /** Its size differs from the manifest's. */
    SIZE_MISMATCH,
    /** Its CRC32C or SHA-256 differs from the manifest's. */
    CHECKSUM_MISMATCH,
    /** It could not be read. */
    UNREADABLE,
    /**
     * On the file system: modified after the backup completed, although its size still matches
     * (changed in place); found without reading it.
     */
    CHANGED_AFTER_BACKUP,
    /** The store holds it under the backup's node prefixes; the manifest does not list it. */
    EXTRA,
    /**
     * A WAL or catalog file whose own framing or internal CRC is wrong: corrupt before or after the
     * copy.
     */
    BAD_FRAMING,
    /**
     * The backup locked it ({@link io.influxbak.manifest.BackupManifest#lock()}); the store holds
     * it under no lock, or one that ends sooner or is weaker: it can be deleted before its time.
     */
    NOT_LOCKED
  }

  /** Checks that no component is null. */
  public VerifyFinding {
    requireNonNull(key, "key is null");
    requireNonNull(problem, "problem is null");
    requireNonNull(detail, "detail is null");
  }
}
