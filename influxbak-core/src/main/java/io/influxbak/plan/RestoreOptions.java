package io.influxbak.plan;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

/**
 * Settings of a restore. Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 * Defaults: 16 copies in flight on a pool of the plan's own.
 */
@Immutable
public final class RestoreOptions {
  private final int parallelism;
  @Nullable private final Executor executor;
  private final Clock clock;

  private RestoreOptions(Builder builder) {
    this.parallelism = builder.parallelism;
    this.executor = builder.executor;
    this.clock = builder.clock;
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

  /** The clock that stamps times. */
  public Clock clock() {
    return clock;
  }

  /** Builds {@link RestoreOptions}. Not thread-safe. */
  public static final class Builder {
    private int parallelism = 16;
    @Nullable private Executor executor;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Copies in flight at most (1 to 1024). */
    public Builder parallelism(int parallelism) {
      checkArgument(parallelism >= 1 && parallelism <= 1024, "parallelism must be 1 to 1024: %s", parallelism);
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

    /** The options. */
    public RestoreOptions build() {
      return new RestoreOptions(this);
    }
  }
}
