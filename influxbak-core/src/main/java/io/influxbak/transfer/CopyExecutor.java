package io.influxbak.transfer;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The executor a plan copies on: the caller's, or a pool of its own that {@link #close()} shuts
 * down.
 */
public final class CopyExecutor implements AutoCloseable {
  private final Executor executor;
  private final ExecutorService owned;

  public CopyExecutor(Optional<Executor> callers, int parallelism) {
    if (callers.isPresent()) {
      this.executor = callers.get();
      this.owned = null;
    } else {
      this.owned =
          Executors.newFixedThreadPool(
              parallelism,
              new ThreadFactoryBuilder()
                  .setNameFormat("influxbak-copy-%d")
                  .setDaemon(true)
                  .build());
      this.executor = owned;
    }
  }

  public Executor executor() {
    return executor;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
    }
  }
}
