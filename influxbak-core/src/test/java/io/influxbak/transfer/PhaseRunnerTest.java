package io.influxbak.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PhaseRunnerTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyStepRunsOnce_atMostParallelismAtATime_andThePlanIsEmptied() throws Exception {
    List<CopyStep> steps = steps(2_000);
    Set<ObjectKey> ran = ConcurrentHashMap.newKeySet();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();

    PhaseRunner.Outcome<ObjectKey> outcome =
        runner(4)
            .run(
                steps,
                step -> {
                  mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  threads.add(Thread.currentThread());
                  Thread.onSpinWait();
                  assertThat(ran.add(step.key())).as("ran twice: %s", step.key()).isTrue();
                  inFlight.decrementAndGet();
                  return step.key();
                });

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.results()).hasSize(2_000).doesNotHaveDuplicates();
    assertThat(ran).hasSize(2_000);
    assertThat(mostInFlight.get()).isBetween(1, 4);
    assertThat(threads).hasSizeBetween(1, 4);
    assertThat(steps).isEmpty();
  }

  @Test
  void afterTheFirstFailure_noNewStepStarts() throws Exception {
    List<CopyStep> steps = steps(1_000);
    AtomicInteger started = new AtomicInteger();

    PhaseRunner.Outcome<ObjectKey> outcome =
        runner(1)
            .run(
                steps,
                step -> {
                  if (started.incrementAndGet() == 10) {
                    throw new IOException("disk full");
                  }
                  return step.key();
                });

    assertThat(started.get()).isEqualTo(10);
    assertThat(outcome.results()).hasSize(9);
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo(key(9));
              assertThat(f.reason()).isEqualTo("disk full");
            });
  }

  @Test
  void anErrorInAStep_isAFailureOfThatStep_notASilentlySkippedOne() throws Exception {
    List<CopyStep> steps = steps(100);
    PhaseRunner.Outcome<ObjectKey> outcome =
        runner(2)
            .run(
                steps,
                step -> {
                  if (step.key().equals(key(5))) {
                    throw new AssertionError("broken invariant");
                  }
                  return step.key();
                });

    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo(key(5));
              assertThat(f.reason()).contains("broken invariant");
              assertThat(f.cause())
                  .isInstanceOf(CopyThreadDiedException.class)
                  .hasCauseInstanceOf(AssertionError.class);
            });
    assertThat(outcome.results()).doesNotContain(key(5)).hasSizeLessThan(100);
  }

  @Test
  void anExecutorThatRefusesWork_failsTheStepItWouldHaveRun() throws Exception {
    List<CopyStep> steps = steps(3);
    PhaseRunner refused =
        new PhaseRunner(
            command -> {
              throw new RejectedExecutionException("shut down");
            },
            4,
            new CancellationHandle(),
            "backup b1");

    PhaseRunner.Outcome<ObjectKey> outcome = refused.run(steps, CopyStep::key);

    assertThat(outcome.results()).isEmpty();
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo(key(0));
              assertThat(f.cause()).isInstanceOf(RejectedExecutionException.class);
            });
  }

  @Test
  void cancelled_stopsTakingSteps_andSaysSo() {
    List<CopyStep> steps = steps(1_000);
    CancellationHandle cancellation = new CancellationHandle();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger startedAfterCancel = new AtomicInteger();
    PhaseRunner runner = new PhaseRunner(pool, 2, cancellation, "backup b1");

    assertThatThrownBy(
            () ->
                runner.run(
                    steps,
                    step -> {
                      if (cancellation.isCancelled()) {
                        startedAfterCancel.incrementAndGet();
                      }
                      if (ran.incrementAndGet() == 50) {
                        cancellation.cancel();
                      }
                      return step.key();
                    }))
        .isInstanceOf(OperationCancelledException.class)
        .hasMessageContaining("backup b1");
    // the other worker may have taken one step before the cancellation, and run it after
    assertThat(startedAfterCancel.get()).isLessThanOrEqualTo(1);
    assertThat(ran.get()).isBetween(50, 999);
  }

  private PhaseRunner runner(int parallelism) {
    return new PhaseRunner(pool, parallelism, new CancellationHandle(), "backup b1");
  }

  private static List<CopyStep> steps(int count) {
    List<CopyStep> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      steps.add(new CopyStep(key(i), ObjectKind.PARQUET, CopyPhase.PARQUET, 10));
    }
    return steps;
  }

  private static ObjectKey key(int i) {
    return ObjectKey.of(String.format("node0/dbs/db-1/t-1/2024-01-01/00-00/%010d.parquet", i));
  }
}
