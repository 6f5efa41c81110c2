package io.influxbak.store.fs;

/** How hard the file-system store pushes written data to stable storage. */
public enum SyncPolicy {
  /**
   * fsync each file before it is published and its directory after: a published object survives
   * power loss. The default.
   */
  FSYNC,
  /**
   * Leave flushing to the operating system: faster, but a crash can lose recently written objects.
   */
  NONE
}
