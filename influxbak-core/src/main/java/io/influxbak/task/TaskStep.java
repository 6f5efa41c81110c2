package io.influxbak.task;

import static java.util.Objects.requireNonNull;

import io.influxbak.manifest.Encoding;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.CopyStep;
import java.util.Optional;

/**
 * One step of a {@link CopyTask}, with what the driver decided for it: where it reads, how the
 * bytes are encoded there, and what they must be when known (a restore's manifest says).
 *
 * @param step the step (its node key names what is written)
 * @param source the key it reads in the source store
 * @param encoding how the source holds the bytes (a restore of a compressed backup decodes them)
 * @param expected what the bytes must be, if known; else the planned size is checked
 */
public record TaskStep(
    CopyStep step, ObjectKey source, Encoding encoding, Optional<ExpectedContent> expected) {
  /** Checks the parts. */
  public TaskStep {
    requireNonNull(step, "step is null");
    requireNonNull(source, "source is null");
    requireNonNull(encoding, "encoding is null");
    requireNonNull(expected, "expected is null");
  }
}
