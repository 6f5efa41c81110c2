package io.influxbak.restore;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.transfer.TransferSettings;
import javax.annotation.concurrent.Immutable;

/**
 * Settings of a restore. Immutable; build with {@link #builder()} or start from {@link
 * #defaults()}. Defaults: 16 copies in flight on a pool of the plan's own.
 */
@Immutable
public final class RestoreOptions {
  private final TransferSettings transfer;
  private final LicenseHandling licenses;
  private final boolean allowIncomplete;
  private final boolean replaceExisting;
  private final boolean resume;
  private final int maxManifestObjects;
  private final LeaseSettings lease;
  private final BackupKeys keys;

  private RestoreOptions(Builder builder) {
    this.transfer = builder.transfer;
    this.licenses = builder.licenses;
    this.allowIncomplete = builder.allowIncomplete;
    this.replaceExisting = builder.replaceExisting;
    this.resume = builder.resume;
    this.maxManifestObjects = builder.maxManifestObjects;
    this.lease = builder.lease;
    this.keys = builder.keys;
  }

  /**
   * Whether a backup without a manifest may be restored (from a listing of its objects,
   * unverified).
   */
  public boolean allowIncomplete() {
    return allowIncomplete;
  }

  /**
   * Whether objects already in the target's node prefixes are replaced (and those the backup does
   * not hold deleted) instead of refusing the restore.
   */
  public boolean replaceExisting() {
    return replaceExisting;
  }

  /**
   * Whether this restore finishes one that was interrupted in the same target (its marker is
   * there): objects already restored with their size and CRC32C are kept, the rest copied.
   */
  public boolean resume() {
    return resume;
  }

  /** The most objects a manifest may name. */
  public int maxManifestObjects() {
    return maxManifestObjects;
  }

  /** What a restore does with Enterprise licence files. */
  public enum LicenseHandling {
    /**
     * Restore them only where they provably came from; otherwise refuse the restore. The default.
     */
    REQUIRE_SAME_LOCATION,
    /** Leave them out (and report it). */
    EXCLUDE,
    /** Restore them wherever the target is; they may be invalid there. */
    ACCEPT_RELOCATION
  }

  /** What the restore does with Enterprise licence files. */
  public LicenseHandling licenses() {
    return licenses;
  }

  /** The default settings. */
  public static RestoreOptions defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How the restore's lease in its target is timed. */
  public LeaseSettings lease() {
    return lease;
  }

  /** How the operation runs: parallelism, executor, clock, retries, cancellation, progress. */
  public TransferSettings transfer() {
    return transfer;
  }

  /** The keys encrypted backups are read with ({@link Builder#keys}). */
  public BackupKeys keys() {
    return keys;
  }

  /** Builds {@link RestoreOptions}. Not thread-safe. */
  public static final class Builder {
    private TransferSettings transfer = TransferSettings.defaults();
    private LicenseHandling licenses = LicenseHandling.REQUIRE_SAME_LOCATION;
    private boolean allowIncomplete;
    private boolean replaceExisting;
    private boolean resume;
    private int maxManifestObjects = io.influxbak.manifest.ManifestFormat.DEFAULT_MAX_OBJECTS;
    private LeaseSettings lease = LeaseSettings.defaults();
    private BackupKeys keys = BackupKeys.NONE;

    private Builder() {}

    /**
     * Reads an encrypted backup (and the earlier backups it reuses from) with the data keys {@code
     * kek} unwraps; every data key is unwrapped before the first write, so a wrong key writes
     * nothing.
     */
    public Builder keys(KeyEncryptionKey kek) {
      this.keys = BackupKeys.of(requireNonNull(kek, "kek is null"));
      return this;
    }

    /** How the operation runs: parallelism, executor, clock, retries, cancellation, progress. */
    public Builder transfer(TransferSettings transfer) {
      this.transfer = requireNonNull(transfer, "transfer is null");
      return this;
    }

    /**
     * Restores a backup that has no manifest (an interrupted one), from a listing of its objects,
     * unverified.
     */
    public Builder allowIncomplete() {
      this.allowIncomplete = true;
      return this;
    }

    /**
     * Replaces what the target's node prefixes hold: objects are overwritten, and objects the
     * backup does not hold are deleted there (never outside those prefixes). Without it a non-empty
     * target is refused.
     */
    public Builder replaceExisting() {
      this.replaceExisting = true;
      return this;
    }

    /**
     * How the restore's lease in its target is timed (by default {@link LeaseSettings#defaults()}).
     */
    public Builder lease(LeaseSettings lease) {
      this.lease = requireNonNull(lease, "lease is null");
      return this;
    }

    /**
     * Finishes a restore that failed or was killed in the same target (refused where no restore was
     * interrupted): keeps what it restored with the right size and CRC32C, copies the rest. A
     * killed restore's lease is taken over once stale ({@link io.influxbak.lease.Leases}).
     */
    public Builder resume() {
      this.resume = true;
      return this;
    }

    /** The most objects a manifest may name (default 20 million); a larger one is refused. */
    public Builder maxManifestObjects(int maxManifestObjects) {
      checkArgument(
          maxManifestObjects >= 1, "maxManifestObjects must be positive: %s", maxManifestObjects);
      this.maxManifestObjects = maxManifestObjects;
      return this;
    }

    /** Leaves Enterprise licence files out of the restore (they are reported). */
    public Builder withoutLicenses() {
      this.licenses = LicenseHandling.EXCLUDE;
      return this;
    }

    /**
     * Restores Enterprise licence files even where they may not be valid (another provider, bucket
     * or path).
     */
    public Builder acceptLicenseRelocation() {
      this.licenses = LicenseHandling.ACCEPT_RELOCATION;
      return this;
    }

    /** The options. */
    public RestoreOptions build() {
      return new RestoreOptions(this);
    }
  }
}
