package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import java.util.Set;

/**
 * Facts about a store that the planner reads. Capabilities a store lacks are emulated in core,
 * never stubbed in an adapter.
 *
 * @param listingChecksums checksum algorithms whose values come back with every listed object
 * @param statChecksums checksum algorithms whose values {@link ObjectStore#stat} returns (when the
 *     object was written with them)
 * @param serverSideCopy whether {@link ObjectStore#copy} moves no object bytes through this JVM
 * @param remoteListing whether a listing is a series of round trips to a service, one a page, so
 *     that many listings at once (of a node's tables) finish sooner than one of the whole node; a
 *     local directory walk gains nothing from it
 * @param objectLocks whether {@link ObjectStore#lock} sets retentions the store enforces and {@link
 *     ObjectReader#lockOf} reports them
 */
public record StoreCapabilities(
    Set<ChecksumAlgorithm> listingChecksums,
    Set<ChecksumAlgorithm> statChecksums,
    boolean serverSideCopy,
    boolean remoteListing,
    boolean objectLocks) {

  /** Copies the sets into immutable ones. */
  public StoreCapabilities {
    listingChecksums =
        ImmutableSet.copyOf(requireNonNull(listingChecksums, "listingChecksums is null"));
    statChecksums = ImmutableSet.copyOf(requireNonNull(statChecksums, "statChecksums is null"));
  }

  /** A store without object locks. */
  public StoreCapabilities(
      Set<ChecksumAlgorithm> listingChecksums,
      Set<ChecksumAlgorithm> statChecksums,
      boolean serverSideCopy,
      boolean remoteListing) {
    this(listingChecksums, statChecksums, serverSideCopy, remoteListing, false);
  }

  /** This store's capabilities, with object locks. */
  public StoreCapabilities withObjectLocks() {
    return new StoreCapabilities(
        listingChecksums, statChecksums, serverSideCopy, remoteListing, true);
  }

  /** This store's capabilities, with listings remote (a wrapper that adds round trips). */
  public StoreCapabilities withRemoteListing() {
    return new StoreCapabilities(
        listingChecksums, statChecksums, serverSideCopy, true, objectLocks);
  }

  /** A store whose listings are local (no round trips). */
  public StoreCapabilities(
      Set<ChecksumAlgorithm> listingChecksums,
      Set<ChecksumAlgorithm> statChecksums,
      boolean serverSideCopy) {
    this(listingChecksums, statChecksums, serverSideCopy, false, false);
  }
}
