package io.influxbak.lease;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An operation was refused because another run holds a lease it conflicts with; nothing was
 * changed. The message names each holder and until when it holds.
 */
public final class LeaseHeldException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient List<LeaseState> holders;

  /**
   * @param what the refused operation, e.g. "backup backup-1 into file:/b"
   * @param holders the leases in its way
   */
  public LeaseHeldException(String what, List<LeaseState> holders) {
    super(
        "Refused "
            + requireNonNull(what, "what is null")
            + ": "
            + holders.stream().map(LeaseState::describe).collect(Collectors.joining("; "))
            + " (a lease is taken over once past its expiry by the takeover margin; if its holder"
            + " is gone, break it: influxbak break-lease --lease "
            + (holders.isEmpty() ? "NAME" : holders.get(0).name())
            + " --force, with --backups, or a restore's --target, naming this store)");
    this.holders = ImmutableList.copyOf(holders);
  }

  /** The leases in the way. */
  public List<LeaseState> holders() {
    return holders;
  }
}
