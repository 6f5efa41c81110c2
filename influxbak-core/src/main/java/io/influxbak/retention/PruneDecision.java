package io.influxbak.retention;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.repository.BackupSummary;
import java.util.List;

/**
 * What a prune decided for one backup.
 *
 * @param backupId the backup
 * @param state its state before the prune
 * @param keep whether it stays
 * @param reasons why (the rules that keep it, or why it goes)
 */
public record PruneDecision(
    String backupId, BackupSummary.State state, boolean keep, List<String> reasons) {
  /** Checks the parts. */
  public PruneDecision {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(state, "state is null");
    reasons = ImmutableList.copyOf(reasons);
  }
}
