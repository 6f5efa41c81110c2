package io.influxbak.retention;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.repository.BackupSummary;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A prune refused to run: backups in the store have a manifest that exists but does not read here
 * (encrypted and no key given, newer format, over the object limit, damaged), so what they
 * reference is unknown and any deletion could break them. Give the key, upgrade influxbak, give it
 * more heap, repair or move them, or prune with {@link Prune#leaveUnreadable()}.
 */
public final class UnreadableBackupsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<String> backupIds;

  /**
   * @param store the store pruned
   * @param unreadable the backups whose manifest does not read
   */
  public UnreadableBackupsException(StoreId store, List<BackupSummary> unreadable) {
    super(
        "Cannot prune "
            + requireNonNull(store, "store is null")
            + ": "
            + unreadable.stream()
                .map(b -> "backup " + b.backupId() + " (" + b.problem().orElse("unknown") + ")")
                .collect(Collectors.joining("; "))
            + " has a manifest that does not read here, so what it references is unknown."
            + " Give the key of an encrypted one, upgrade influxbak, give it more heap, repair or"
            + " move it, or prune leaving"
            + " unreadable backups alone (keeps every data object)");
    this.backupIds =
        unreadable.stream().map(BackupSummary::backupId).collect(ImmutableList.toImmutableList());
  }

  /** The backups whose manifest does not read. */
  public List<String> backupIds() {
    return backupIds;
  }
}
