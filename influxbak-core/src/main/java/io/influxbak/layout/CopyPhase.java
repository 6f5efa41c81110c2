package io.influxbak.layout;

import com.google.common.collect.ImmutableSet;
import java.util.Optional;
import java.util.Set;

/**
 * A group of objects copied together; a phase starts only when the previous one has completed. The
 * InfluxDB docs' backup order is snapshots, dbs, wal, catalogs, catalog checkpoint (on 3.4 and
 * later the catalog logs and catalog snapshot take those two places); restore is the reverse.
 */
public enum CopyPhase {
  /**
   * Enterprise compactor output ({@code cs/}, {@code cd/}, {@code c/}), first in an Enterprise
   * backup.
   */
  COMPACTOR(ObjectKind.COMPACTOR_FILE),
  /** Snapshot files, first: they fix which Parquet files the backup must hold. */
  SNAPSHOTS(ObjectKind.SNAPSHOT),
  /** Parquet files under {@code dbs/}. */
  PARQUET(ObjectKind.PARQUET),
  /** WAL files: the newest writes live only there. */
  WAL(ObjectKind.WAL),
  /**
   * Objects derived from the snapshots (table snapshots when included, table indexes, the
   * conversion marker, snapshot checkpoints): rebuilt by the server if absent.
   */
  DERIVED(
      ObjectKind.TABLE_SNAPSHOT,
      ObjectKind.TABLE_INDEX,
      ObjectKind.TABLE_INDEX_CONVERSION_MARKER,
      ObjectKind.SNAPSHOT_CHECKPOINT),
  /**
   * Catalog logs of every generation: copied after the WAL so they cover every WAL batch's catalog
   * sequence.
   */
  CATALOG_LOGS(ObjectKind.CATALOG_LOG),
  /** The catalog checkpoint or snapshot of every generation, last: it is rewritten in place. */
  CATALOG_CHECKPOINT(ObjectKind.CATALOG_CHECKPOINT),
  /** The Enterprise configuration file {@code <cluster-id>/enterprise}. */
  ENTERPRISE_CONFIG(ObjectKind.ENTERPRISE_CONFIG),
  /** Enterprise licence files, bound to the store location they were issued for. */
  LICENSES(ObjectKind.LICENSE),
  /**
   * Objects influxbak does not model (unknown keys, Enterprise restore staging): copied and
   * reported.
   */
  OTHER(ObjectKind.UNKNOWN, ObjectKind.CATALOG_RESTORE_STAGING, ObjectKind.CLUSTER_BACKUP);

  private final ImmutableSet<ObjectKind> kinds;

  CopyPhase(ObjectKind... kinds) {
    this.kinds = ImmutableSet.copyOf(kinds);
  }

  /** The object kinds copied in this phase. */
  public Set<ObjectKind> kinds() {
    return kinds;
  }

  /**
   * The phase that copies {@code kind}; empty for kinds that are never copied (file-store staging
   * files).
   */
  public static Optional<CopyPhase> of(ObjectKind kind) {
    for (CopyPhase phase : values()) {
      if (phase.kinds.contains(kind)) {
        return Optional.of(phase);
      }
    }
    return Optional.empty();
  }
}
