package io.influxbak.lease;

/** What a lease's holder is doing, as recorded in the lease. */
public enum LeaseOperation {
  /** A backup writing a new backup. */
  BACKUP,
  /** A backup resuming an interrupted one under the same id. */
  RESUME,
  /** A prune removing backups. */
  PRUNE,
  /** A restore writing into its target. */
  RESTORE
}
