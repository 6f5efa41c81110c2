package io.influxbak.store.testing;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One event of a run that another of its steps waits for, to show whether the two overlapped: the
 * thread that caused the event first, and for each wait whether the event came within it. A run
 * that does the waiting step first waits out the whole time and is recorded as not overlapped.
 */
public final class AwaitedEvent {
  private final CountDownLatch happened = new CountDownLatch(1);
  private final AtomicReference<String> firstThread = new AtomicReference<>();
  private final List<Boolean> waits = new CopyOnWriteArrayList<>();
  private volatile long waitMillis = 10_000;

  /** Records the event, and the calling thread if it is the first. */
  public void happen() {
    firstThread.compareAndSet(null, Thread.currentThread().getName());
    happened.countDown();
  }

  /** Waits for the event (at most {@link #waitAtMost}) and records whether it came. */
  public void await() throws IOException {
    try {
      waits.add(happened.await(waitMillis, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** How long each wait lasts at most (10 s unless set). */
  public void waitAtMost(long millis) {
    waitMillis = millis;
  }

  /** The thread that caused the event first, if it happened. */
  public Optional<String> firstThread() {
    return Optional.ofNullable(firstThread.get());
  }

  /** For each wait, in order, whether the event came within it. */
  public List<Boolean> waits() {
    return waits;
  }
}
