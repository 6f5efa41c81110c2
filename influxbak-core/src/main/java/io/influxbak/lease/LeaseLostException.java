package io.influxbak.lease;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * The running operation no longer holds its lease (another run took it over or an operator broke
 * it, or it could not be renewed before it expired) and stopped before its next change. A backup
 * that stops so writes no manifest; it can be resumed.
 */
public final class LeaseLostException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the lease and why it is lost
   */
  public LeaseLostException(String message) {
    super(requireNonNull(message, "message is null"));
  }

  /**
   * @param message names the lease and why it is lost
   * @param cause how the operation failed when it met the loss
   */
  public LeaseLostException(String message, IOException cause) {
    super(requireNonNull(message, "message is null"), requireNonNull(cause, "cause is null"));
  }
}
