package io.influxbak.plan;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

/**
 * Settings of a restore. Immutable; build with {@link #builder()} or start from {@link
 * #defaults()}. Defaults: 16 copies in flight on a pool of the plan's own.
 */
@Immutable
public final class RestoreOptions {
  private final int parallelism;
  @Nullable private final Executor executor;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final CancellationHandle cancellation;
  private final ProgressListener progress;
  private final LicenseHandling licenses;
  private final boolean allowIncomplete;
  private final boolean replaceExisting;
  private final int maxManifestObjects;

  private RestoreOptions(Builder builder) {
    this.parallelism = builder.parallelism;
    this.executor = builder.executor;
    this.clock = builder.clock;
    this.retryPolicy = builder.retryPolicy;
    this.cancellation = builder.cancellation;
    this.progress = builder.progress;
    this.licenses = builder.licenses;
    this.allowIncomplete = builder.allowIncomplete;
    this.replaceExisting = builder.replaceExisting;
    this.maxManifestObjects = builder.maxManifestObjects;
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

  /** Copies in flight at most. */
  public int parallelism() {
    return parallelism;
  }

  /** The caller's executor, if one was given (never shut down by influxbak). */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** How transient failures of one object are retried. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** The listener that hears progress. */
  public ProgressListener progress() {
    return progress;
  }

  /** The handle that cancels the operation. */
  public CancellationHandle cancellation() {
    return cancellation;
  }

  /** The clock that stamps times. */
  public Clock clock() {
    return clock;
  }

  /** Builds {@link RestoreOptions}. Not thread-safe. */
  public static final class Builder {
    private int parallelism = 16;
    @Nullable private Executor executor;
    private Clock clock = Clock.systemUTC();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private CancellationHandle cancellation = new CancellationHandle();
    private ProgressListener progress = ProgressListener.NONE;
    private LicenseHandling licenses = LicenseHandling.REQUIRE_SAME_LOCATION;
    private boolean allowIncomplete;
    private boolean replaceExisting;
    private int maxManifestObjects = io.influxbak.manifest.ManifestFormat.DEFAULT_MAX_OBJECTS;

    private Builder() {}

    /** Copies in flight at most (1 to 1024). */
    public Builder parallelism(int parallelism) {
      checkArgument(
          parallelism >= 1 && parallelism <= 1024,
          "parallelism must be 1 to 1024: %s",
          parallelism);
      this.parallelism = parallelism;
      return this;
    }

    /** Runs copies on the caller's executor; influxbak never shuts it down. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /** The clock that stamps times. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * How transient failures (throttling, timeouts, dropped connections) of one object are retried.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy is null");
      return this;
    }

    /** A handle another thread can use to cancel the operation. */
    public Builder cancellation(CancellationHandle cancellation) {
      this.cancellation = requireNonNull(cancellation, "cancellation is null");
      return this;
    }

    /** A listener that hears progress (for progress bars); called from the copy threads. */
    public Builder progress(ProgressListener progress) {
      this.progress = requireNonNull(progress, "progress is null");
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
