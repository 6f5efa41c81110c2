package io.influxbak.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AlongsideReadTest {
  private final AtomicReference<String> readBy = new AtomicReference<>();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void alongside_readsOnItsOwnThread_beforeItIsAskedFor() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (AlongsideRead<String> read =
        AlongsideRead.start(
            "reader",
            true,
            abandoned -> {
              readBy.set(Thread.currentThread().getName());
              reads.incrementAndGet();
              done.countDown();
              return "result";
            })) {
      assertThat(done.await(10, TimeUnit.SECONDS)).as("read before get()").isTrue();

      assertThat(read.get()).isEqualTo("result");
      assertThat(read.get()).isEqualTo("result");
    }
    assertThat(readBy.get()).isEqualTo("reader");
    assertThat(reads.get()).isEqualTo(1);
  }

  @Test
  void inPlace_readsOnceWhenAskedFor_onTheCallersThread() throws IOException {
    try (AlongsideRead<String> read =
        AlongsideRead.start(
            "reader",
            false,
            abandoned -> {
              readBy.set(Thread.currentThread().getName());
              reads.incrementAndGet();
              return "result";
            })) {
      assertThat(reads.get()).as("nothing read before get()").isZero();

      assertThat(read.get()).isEqualTo("result");
      assertThat(read.get()).isEqualTo("result");
    }
    assertThat(readBy.get()).isEqualTo(Thread.currentThread().getName());
    assertThat(reads.get()).isEqualTo(1);
  }

  @Test
  void inPlace_neverAskedFor_neverReads() {
    AlongsideRead.start("reader", false, abandoned -> reads.incrementAndGet()).close();

    assertThat(reads.get()).isZero();
  }

  @Test
  void failure_thrownAsItWas() {
    for (boolean alongside : new boolean[] {true, false}) {
      try (AlongsideRead<String> read =
          AlongsideRead.start(
              "reader",
              alongside,
              abandoned -> {
                throw new NoSuchFileException("b1/manifest.json");
              })) {
        assertThatThrownBy(read::get)
            .isInstanceOf(NoSuchFileException.class)
            .hasMessage("b1/manifest.json");
      }
      try (AlongsideRead<String> read =
          AlongsideRead.start(
              "reader",
              alongside,
              abandoned -> {
                throw new IllegalStateException("bad");
              })) {
        assertThatThrownBy(read::get).isInstanceOf(IllegalStateException.class).hasMessage("bad");
      }
    }
  }

  /**
   * A read that runs until abandoned: close() tells it so and returns once its thread has ended
   * (without the telling, close() would wait for ever: the timeout fails it).
   */
  @Test
  @Timeout(30)
  void close_abandonsARunningRead_andWaitsForItsThread() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> reader = new AtomicReference<>();
    AtomicBoolean sawAbandoned = new AtomicBoolean();
    AlongsideRead<Boolean> read =
        AlongsideRead.start(
            "reader",
            true,
            abandoned -> {
              reader.set(Thread.currentThread());
              started.countDown();
              while (!abandoned.getAsBoolean()) {
                Thread.onSpinWait();
              }
              sawAbandoned.set(true);
              return true;
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    read.close();

    assertThat(reader.get().isAlive()).as("the reader outlived close()").isFalse();
    assertThat(sawAbandoned).isTrue();
  }
}
