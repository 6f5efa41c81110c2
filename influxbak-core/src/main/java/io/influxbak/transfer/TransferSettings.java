package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

/**
 * How an operation runs, whatever it does: copies in flight, on whose executor, with which clock,
 * retry policy, cancellation handle and progress listener. Backup, restore, verify and prune take
 * the same value. Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * <p>Defaults: 16 copies in flight on a pool of the operation's own, the system UTC clock, {@link
 * RetryPolicy#DEFAULT}, a fresh cancellation handle and no listener.
 */
@Immutable
public final class TransferSettings {
  private final int parallelism;
  @Nullable private final Executor executor;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final RetryPolicy observedRetryPolicy;
  private final CancellationHandle cancellation;
  private final ProgressListener progress;

  private TransferSettings(Builder builder) {
    this.parallelism = builder.parallelism;
    this.executor = builder.executor;
    this.clock = builder.clock;
    this.retryPolicy = builder.retryPolicy;
    this.observedRetryPolicy =
        builder.progress == ProgressListener.NONE
            ? builder.retryPolicy
            : builder.retryPolicy.observedBy(builder.progress);
    this.cancellation = builder.cancellation;
    this.progress = builder.progress;
  }

  /** The default settings. */
  public static TransferSettings defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.parallelism = parallelism;
    builder.executor = executor;
    builder.clock = clock;
    builder.retryPolicy = retryPolicy;
    builder.cancellation = cancellation;
    builder.progress = progress;
    return builder;
  }

  /** Copies (or reads) in flight at most. */
  public int parallelism() {
    return parallelism;
  }

  /** The caller's executor, if one was given (never shut down by influxbak). */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** The clock that names backups and stamps times. */
  public Clock clock() {
    return clock;
  }

  /**
   * How transient failures of one object are retried: the policy given, its retries also heard by
   * the {@link #progress()} listener.
   */
  public RetryPolicy retryPolicy() {
    return observedRetryPolicy;
  }

  /** The handle that cancels the operation. */
  public CancellationHandle cancellation() {
    return cancellation;
  }

  /** The listener that hears progress. */
  public ProgressListener progress() {
    return progress;
  }

  /** Builds {@link TransferSettings}. Not thread-safe. */
  public static final class Builder {
    private int parallelism = 16;
    @Nullable private Executor executor;
    private Clock clock = Clock.systemUTC();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private CancellationHandle cancellation = new CancellationHandle();
    private ProgressListener progress = ProgressListener.NONE;

    private Builder() {}

    /**
     * Copies in flight at most (1 to 1024). With 1, a backup also lists its source one listing at a
     * time and reads an incremental's parent manifest after its planning, and a restore lists the
     * backup after reading its manifest; listings of a backup's root (verify, the restore's check)
     * still run several at once on a cloud store.
     */
    public Builder parallelism(int parallelism) {
      checkArgument(
          parallelism >= 1 && parallelism <= 1024,
          "parallelism must be 1 to 1024: %s",
          parallelism);
      this.parallelism = parallelism;
      return this;
    }

    /** Runs copies on the caller's executor instead of a pool of the operation's own. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /** The clock that names backups and stamps times. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /** How transient failures (throttling, timeouts, dropped connections) are retried. */
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

    /** The settings. */
    public TransferSettings build() {
      return new TransferSettings(this);
    }
  }
}
