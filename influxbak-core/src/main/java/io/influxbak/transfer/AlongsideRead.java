package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;

/**
 * A read an operation starts on a thread of its own and takes the result of later, so that it
 * overlaps the operation's other work: an incremental backup's reading of its parent's manifest
 * while it plans the source, a restore's listing of the backup while it reads the manifest. Run in
 * place instead, when its result is asked for, where its caller says so (a parallelism of 1, or a
 * read that overlapping would not speed up). Closing it tells the read it is abandoned and waits
 * for its thread to end: no read outlives its operation.
 *
 * @param <T> what the read returns
 */
public final class AlongsideRead<T> implements AutoCloseable {
  /** The read itself. */
  @FunctionalInterface
  public interface Body<T> {
    /**
     * Reads, and may stop early (throwing anything) once {@code abandoned} says nobody will take
     * the result.
     */
    T read(BooleanSupplier abandoned) throws IOException;
  }

  private final FutureTask<T> read;
  private final AtomicBoolean abandoned = new AtomicBoolean();

  /** The thread reading, if one was started. */
  @Nullable private final Thread thread;

  private AlongsideRead(String threadName, boolean alongside, Body<T> body) {
    this.read = new FutureTask<>(() -> body.read(abandoned::get));
    if (alongside) {
      thread = new Thread(read, threadName);
      thread.setDaemon(true);
    } else {
      thread = null;
    }
  }

  /**
   * Starts {@code body} on a daemon thread named {@code threadName} if {@code alongside}, else
   * leaves it to run in {@link #get}.
   */
  public static <T> AlongsideRead<T> start(String threadName, boolean alongside, Body<T> body) {
    requireNonNull(threadName, "threadName is null");
    requireNonNull(body, "body is null");
    AlongsideRead<T> alongsideRead = new AlongsideRead<>(threadName, alongside, body);
    if (alongsideRead.thread != null) {
      alongsideRead.thread.start();
    }
    return alongsideRead;
  }

  /** The read's result, waiting for it; its failure, as thrown, if it failed. */
  public T get() throws IOException {
    if (thread == null) {
      read.run(); // at most once: a task that has run does nothing
    }
    try {
      return Uninterruptibles.getUninterruptibly(read);
    } catch (ExecutionException e) {
      Throwables.throwIfInstanceOf(e.getCause(), IOException.class);
      Throwables.throwIfUnchecked(e.getCause());
      throw new IOException("a read alongside the operation failed", e.getCause());
    }
  }

  /** Abandons the read if it is still under way, and waits for its thread to end. */
  @Override
  public void close() {
    abandoned.set(true);
    if (thread != null) {
      Uninterruptibles.joinUninterruptibly(thread);
    }
  }
}
