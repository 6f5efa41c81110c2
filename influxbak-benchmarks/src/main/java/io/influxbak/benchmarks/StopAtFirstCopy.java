package io.influxbak.benchmarks;

import io.influxbak.layout.CopyPhase;
import io.influxbak.transfer.CancellationHandle;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.TransferSettings;

/**
 * Transfer settings that cancel an operation when its first copy phase starts, and the time that
 * happened: what a probe of an operation's planning times, up to its first copy.
 */
final class StopAtFirstCopy {
  private final CancellationHandle cancel = new CancellationHandle();
  private volatile long firstPhaseNanos;

  /** Settings for the operation to stop: its progress listener and cancellation handle. */
  TransferSettings settings() {
    return TransferSettings.builder()
        .progress(
            new ProgressListener() {
              @Override
              public void phaseStarted(CopyPhase phase, long objects, long bytes) {
                if (firstPhaseNanos == 0) {
                  firstPhaseNanos = System.nanoTime();
                  cancel.cancel();
                }
              }
            })
        .cancellation(cancel)
        .build();
  }

  /** Seconds from {@code startNanos} to the first phase's start. */
  double secondsSince(long startNanos) {
    if (firstPhaseNanos == 0) {
      throw new IllegalStateException("the operation never reached its first copy");
    }
    return (firstPhaseNanos - startNanos) / 1e9;
  }
}
