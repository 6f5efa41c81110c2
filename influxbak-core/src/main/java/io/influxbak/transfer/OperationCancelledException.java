package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import java.io.InterruptedIOException;

/**
 * A backup or restore stopped because it was cancelled or its thread interrupted; it is not
 * complete.
 */
public final class OperationCancelledException extends InterruptedIOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param operation what was stopped, for example "backup of node0/"
   */
  public OperationCancelledException(String operation) {
    super(
        "Cancelled: "
            + requireNonNull(operation, "operation is null")
            + " stopped before it completed");
  }
}
