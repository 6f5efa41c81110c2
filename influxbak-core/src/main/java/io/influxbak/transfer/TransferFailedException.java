package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyPhase;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Objects of a phase could not be copied, so the operation stopped before the next phase. The
 * message names the phase, each failed object (up to ten) and its reason; {@link #failures()} holds
 * all of them.
 */
public final class TransferFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final CopyPhase phase;
  private final ImmutableList<ObjectFailure> failures;

  /**
   * @param operation "backup" or "restore"
   * @param phase the phase that failed
   * @param failures at least one failure
   */
  public TransferFailedException(String operation, CopyPhase phase, List<ObjectFailure> failures) {
    super(
        "Cannot complete "
            + requireNonNull(operation, "operation is null")
            + ": "
            + failures.size()
            + " object(s) failed in phase "
            + requireNonNull(phase, "phase is null")
            + ": "
            + failures.stream()
                .limit(10)
                .map(f -> f.key() + " (" + f.reason() + ")")
                .collect(Collectors.joining("; "))
            + (failures.size() > 10 ? "; ..." : ""),
        failures.get(0).cause());
    this.phase = requireNonNull(phase, "phase is null");
    this.failures = ImmutableList.copyOf(failures);
    failures.stream().skip(1).limit(10).forEach(f -> addSuppressed(f.cause()));
  }

  /** The phase that failed. */
  public CopyPhase phase() {
    return phase;
  }

  /** Every object that failed. */
  public List<ObjectFailure> failures() {
    return failures;
  }
}
