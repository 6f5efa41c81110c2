package io.influxbak.layout;

import com.google.common.collect.Sets;
import java.util.Set;

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
  UNKNOWN;

  /**
   * Kinds the server deletes on its own, so they may vanish between a listing and a copy: WAL files
   * once a snapshot persisted them, Parquet files removed by compaction or retention, derived
   * objects it rebuilds, staging of finished restores and compactor output.
   */
  private static final Set<ObjectKind> SERVER_DELETES =
      Sets.immutableEnumSet(
          WAL,
          PARQUET,
          TABLE_SNAPSHOT,
          TABLE_INDEX,
          SNAPSHOT_CHECKPOINT,
          CATALOG_RESTORE_STAGING,
          COMPACTOR_FILE);

  /**
   * Kinds the server rewrites in place (and unknown objects, which might be): their size is read
   * again before each copy, and a copy is reused only when its hash matches.
   */
  private static final Set<ObjectKind> REWRITTEN_IN_PLACE =
      Sets.immutableEnumSet(
          CATALOG_CHECKPOINT, TABLE_INDEX, TABLE_INDEX_CONVERSION_MARKER, UNKNOWN);

  /**
   * Kinds derived from the snapshots, which the server rebuilds when they are absent: a backup
   * holds all of them or none.
   */
  private static final Set<ObjectKind> DERIVED =
      Sets.immutableEnumSet(
          TABLE_SNAPSHOT, TABLE_INDEX, TABLE_INDEX_CONVERSION_MARKER, SNAPSHOT_CHECKPOINT);

  /** Whether the server deletes objects of this kind on its own. */
  public boolean serverDeletes() {
    return SERVER_DELETES.contains(this);
  }

  /** Whether the server rewrites objects of this kind in place (unknown objects count as such). */
  public boolean rewrittenInPlace() {
    return REWRITTEN_IN_PLACE.contains(this);
  }

  /** Whether objects of this kind are derived from the snapshots (rebuilt by the server). */
  public boolean derived() {
    return DERIVED.contains(this);
  }
}
