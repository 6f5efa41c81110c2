package io.influxbak.layout;

/** What an object under an InfluxDB 3 node prefix is. */
public enum ObjectKind {
  /** {@code wal/<seq:011>.wal}: write-ahead log, immutable, deleted after a snapshot. */
  WAL,
  /**
   * {@code snapshots/<2^64-1-seq:020>.info.json}: lists the Parquet files a snapshot added and
   * removed.
   */
  SNAPSHOT,
  /**
   * {@code dbs/.../<wal_seq:010>.parquet}, in the name-and-id (3.0 to 3.5) or id-only (3.6+) form.
   */
  PARQUET,
  /** A catalog log of any generation ({@link CatalogGeneration}), immutable. */
  CATALOG_LOG,
  /**
   * {@code _catalog_checkpoint} (3.0 to 3.3) or {@code catalog/vN/snapshot}: rewritten in place.
   */
  CATALOG_CHECKPOINT,
  /** {@code catalog/restores/...}: staging of an Enterprise catalog restore (3.10+). */
  CATALOG_RESTORE_STAGING,
  /**
   * {@code table-snapshots/<db>/<table>/<seq:020>.info.json}: short-lived per-table delta (3.3+).
   */
  TABLE_SNAPSHOT,
  /**
   * {@code db-indices/<db>/<table>/index.info.json}: per-table index, rewritten in place (3.3+).
   */
  TABLE_INDEX,
  /** {@code table-index-conversion-completed}: marker of the table-index conversion (3.3+). */
  TABLE_INDEX_CONVERSION_MARKER,
  /** {@code snapshot-checkpoints/<YYYY-MM>/<2^64-1-seq:020>.checkpoint.json} (3.8.2+, opt-in). */
  SNAPSHOT_CHECKPOINT,
  /**
   * Enterprise compactor output under the compactor node ({@code cs/}, {@code cd/}, {@code c/}):
   * opaque.
   */
  COMPACTOR_FILE,
  /**
   * Enterprise licence file under the cluster prefix ({@code commercial_license}, {@code
   * trial_or_home_license}).
   */
  LICENSE,
  /** The Enterprise configuration file {@code <cluster-id>/enterprise}. */
  ENTERPRISE_CONFIG,
  /**
   * {@code <cluster-id>/backups/...}: backups of Enterprise's own backup command (PachaTree
   * engine); never node data, copied only when asked.
   */
  CLUSTER_BACKUP,
  /**
   * A file-store staging file ({@code <key>#<n>}): an in-flight or crashed upload, never an object.
   */
  STAGING_FILE,
  /** Anything else: copied in a phase of its own and reported, never dropped. */
  UNKNOWN
}
