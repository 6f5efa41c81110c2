package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CopyPhase;
import java.time.Duration;

/**
 * What one phase did.
 *
 * @param phase the phase
 * @param objects objects copied
 * @param bytes bytes copied
 * @param elapsed wall time of the phase
 */
public record PhaseResult(CopyPhase phase, long objects, long bytes, Duration elapsed) {
  /** Checks that no component is null. */
  public PhaseResult {
    requireNonNull(phase, "phase is null");
    requireNonNull(elapsed, "elapsed is null");
  }
}
