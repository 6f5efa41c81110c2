package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the objects an operation reports, to its log and its listener: what was copied without
 * being understood, left out or vanished at INFO, an optional object that is simply absent at
 * DEBUG.
 */
public final class Reports {
  private static final Logger LOG = LoggerFactory.getLogger(Reports.class);

  private Reports() {}

  /** Logs each of {@code reported} and tells {@code listener}; a listener's failure is ignored. */
  public static void announce(
      String operation, Collection<ReportedObject> reported, ProgressListener listener) {
    requireNonNull(operation, "operation is null");
    requireNonNull(listener, "listener is null");
    for (ReportedObject object : reported) {
      if (object.disposition() == ReportedObject.Disposition.ABSENT) {
        LOG.debug("{}: {} {} ({})", operation, object.disposition(), object.key(), object.reason());
      } else {
        LOG.info("{}: {} {} ({})", operation, object.disposition(), object.key(), object.reason());
      }
      Listeners.tell(() -> listener.objectReported(object));
    }
  }
}
