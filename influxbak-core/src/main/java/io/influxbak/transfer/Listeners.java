package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the caller's listeners ({@link ProgressListener}, {@link RetryObserver}): what one
 * throws is logged at DEBUG and ignored, as they document, so a faulty progress bar never fails the
 * operation it watches.
 */
public final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  /** Runs {@code event}, a call to a listener, ignoring what it throws. */
  public static void tell(Runnable event) {
    requireNonNull(event, "event is null");
    try {
      event.run();
    } catch (RuntimeException e) {
      LOG.debug("A listener failed; ignored", e);
    }
  }
}
