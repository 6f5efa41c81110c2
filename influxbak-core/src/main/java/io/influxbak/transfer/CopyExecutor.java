package io.influxbak.transfer;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

  /** The caller's executor, or a pool of {@code parallelism} threads of its own. */
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

  /** The executor to run on. */
  public Executor executor() {
    return executor;
  }

  /** One store call per item, for {@link #forEach}. */
  public interface ItemAction<T> {
    /** Acts on {@code item}. */
    void run(T item) throws IOException;
  }

  /**
   * Runs {@code action} on every item on this executor and waits for all of them: for many small
   * store calls (locks, lock checks) that are not copies.
   *
   * @throws IOException the first an action threw (the others are still waited for)
   */
  public <T> void forEach(Collection<T> items, ItemAction<T> action) throws IOException {
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (T item : items) {
      calls.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  action.run(item);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              executor));
    }
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + calls.size() + " calls");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      Throwables.throwIfUnchecked(e.getCause());
      throw new IOException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
    }
  }
}
