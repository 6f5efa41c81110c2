package io.influxbak.task;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.StoreLocation;

/**
 * A backup's or restore's copies handed to an engine: the engine, and the locations its tasks open
 * the stores from (the same stores the driver opened from them).
 *
 * @param engine runs the tasks
 * @param source where the operation reads (a backup's node data, a restore's backups)
 * @param destination where it writes (a backup's backups, a restore's target)
 */
public record Distribution(CopyEngine engine, StoreLocation source, StoreLocation destination) {
  /** Checks the parts. */
  public Distribution {
    requireNonNull(engine, "engine is null");
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
  }
}
