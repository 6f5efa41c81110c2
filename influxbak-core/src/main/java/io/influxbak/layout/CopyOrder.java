package io.influxbak.layout;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The order of phases in which a plan copies objects, as data.
 *
 * @param phases the phases, first to last, each at most once
 */
public record CopyOrder(List<CopyPhase> phases) {
  /**
   * The Core backup order: snapshots, Parquet, WAL, derived objects, catalog logs, catalog
   * checkpoint, other.
   */
  public static final CopyOrder CORE_BACKUP =
      new CopyOrder(
          ImmutableList.of(
              CopyPhase.SNAPSHOTS,
              CopyPhase.PARQUET,
              CopyPhase.WAL,
              CopyPhase.DERIVED,
              CopyPhase.CATALOG_LOGS,
              CopyPhase.CATALOG_CHECKPOINT,
              CopyPhase.OTHER));

  /** The Core restore order: the reverse of {@link #CORE_BACKUP}. */
  public static final CopyOrder CORE_RESTORE = CORE_BACKUP.reversed();

  /**
   * The Enterprise backup order of the docs: compactor files (cs, cd, c); every node's snapshots,
   * Parquet and WAL; the cluster catalog logs, checkpoint and {@code enterprise} file; the licence
   * files; then objects influxbak does not model.
   */
  public static final CopyOrder ENTERPRISE_BACKUP =
      new CopyOrder(
          ImmutableList.of(
              CopyPhase.COMPACTOR,
              CopyPhase.SNAPSHOTS,
              CopyPhase.PARQUET,
              CopyPhase.WAL,
              CopyPhase.DERIVED,
              CopyPhase.CATALOG_LOGS,
              CopyPhase.CATALOG_CHECKPOINT,
              CopyPhase.ENTERPRISE_CONFIG,
              CopyPhase.LICENSES,
              CopyPhase.OTHER));

  /**
   * The Enterprise restore order of the docs, which is not simply the reverse: cluster catalog and
   * checkpoint, licences, then the nodes (catalog-side first, snapshot files last, as for Core),
   * then the compactor, so that data nodes can start before the compactor.
   */
  public static final CopyOrder ENTERPRISE_RESTORE =
      new CopyOrder(
          ImmutableList.of(
              CopyPhase.OTHER,
              CopyPhase.CATALOG_CHECKPOINT,
              CopyPhase.CATALOG_LOGS,
              CopyPhase.ENTERPRISE_CONFIG,
              CopyPhase.LICENSES,
              CopyPhase.DERIVED,
              CopyPhase.WAL,
              CopyPhase.PARQUET,
              CopyPhase.SNAPSHOTS,
              CopyPhase.COMPACTOR));

  /** Copies the list and checks that no phase repeats. */
  public CopyOrder {
    phases = ImmutableList.copyOf(phases);
    checkArgument(
        phases.stream().distinct().count() == phases.size(), "Phase repeated in %s", phases);
  }

  /** The same phases in reverse order. */
  public CopyOrder reversed() {
    return new CopyOrder(ImmutableList.copyOf(phases).reverse());
  }

  /** Position of {@code phase} in this order. */
  public int indexOf(CopyPhase phase) {
    int index = phases.indexOf(phase);
    checkArgument(index >= 0, "Phase %s is not in %s", phase, phases);
    return index;
  }
}
