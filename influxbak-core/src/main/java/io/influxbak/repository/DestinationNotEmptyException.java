package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A backup or restore would write under a prefix that already holds objects; nothing was written.
 * The message lists what is there (the first few keys).
 */
public final class DestinationNotEmptyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final KeyPrefix prefix;
  private final ImmutableList<ObjectKey> existing;

  /**
   * @param store the destination
   * @param prefix the prefix that must be empty
   * @param existing some of the keys found there (at least one)
   */
  public DestinationNotEmptyException(StoreId store, KeyPrefix prefix, List<ObjectKey> existing) {
    super(
        "Cannot write to "
            + requireNonNull(prefix, "prefix is null")
            + " in "
            + requireNonNull(store, "store is null")
            + ": it is not empty (found "
            + existing.stream().map(ObjectKey::toString).collect(Collectors.joining(", "))
            + (existing.size() >= 10 ? ", ..." : "")
            + ")");
    this.prefix = prefix;
    this.existing = ImmutableList.copyOf(existing);
  }

  /** The prefix that must be empty. */
  public KeyPrefix prefix() {
    return prefix;
  }

  /** Some of the keys found under it. */
  public List<ObjectKey> existing() {
    return existing;
  }
}
