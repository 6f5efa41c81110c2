package io.influxbak.store;

import static java.util.Objects.requireNonNull;

/**
 * No {@link ObjectStoreProvider} on the class path accepts a URI. The message names the module to
 * add and the providers that were found.
 */
public final class StoreNotAvailableException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the full explanation
   */
  public StoreNotAvailableException(String message) {
    super(requireNonNull(message, "message is null"));
  }
}
