package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.util.List;

/**
 * A restore's check before its first write found objects it would read missing or damaged in the
 * backup store: nothing was written to the target.
 */
public final class BackupDamagedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<String> problems;

  /**
   * @param store the backup store
   * @param backupRoot the backup's root
   * @param problems each object and what is wrong with it
   */
  public BackupDamagedException(StoreId store, KeyPrefix backupRoot, List<String> problems) {
    super(
        "Cannot restore "
            + requireNonNull(backupRoot, "backupRoot is null")
            + " from "
            + requireNonNull(store, "store is null")
            + ": "
            + problems.size()
            + " object(s) it would read are missing or damaged, so nothing was written: "
            + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
            + (problems.size() > 5 ? "; ..." : "")
            + " (run verify for the full list)");
    this.problems = ImmutableList.copyOf(problems);
  }

  /** Every object found missing or damaged, with the reason. */
  public List<String> problems() {
    return problems;
  }
}
