package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;

import io.influxbak.store.ObjectKey;
import java.util.List;
import java.util.Optional;

/**
 * Finds a key that a manifest's entries name twice, with two int arrays rather than a {@code
 * HashSet} of keys: an open-addressing table of entry positions and, beside each, its key's hash,
 * compared before the keys are. Reading a manifest of a million entries, the set's insertions and
 * resizes took a quarter of the reading thread's samples, and its million nodes, garbage as soon as
 * the check ended, kept G1's collector and refinement threads busy beside it (measured with {@code
 * perf}; the figures are in docs/performance.md).
 */
final class RepeatedKeys {
  private RepeatedKeys() {}

  /** The first key named a second time, in the entries' order; empty if every key is named once. */
  static Optional<ObjectKey> first(List<ManifestEntry> entries) {
    int size = entries.size();
    checkArgument(size < 1 << 30, "too many entries for one table: %s", size);
    // at most half full (the smallest power of two of at least twice the entries), so that a probe
    // soon ends at an empty slot; past 2^29 entries, the largest table an int can index
    int capacity =
        size <= 1 << 29 ? Integer.highestOneBit(Math.max(4, 2 * size) - 1) << 1 : 1 << 30;
    int mask = capacity - 1;
    int[] positions = new int[capacity]; // entry position + 1; 0 is an empty slot
    int[] hashes = new int[capacity];
    for (int i = 0; i < size; i++) {
      ObjectKey key = entries.get(i).key();
      int hash = key.hashCode();
      int slot = spread(hash) & mask;
      while (positions[slot] != 0) {
        if (hashes[slot] == hash && entries.get(positions[slot] - 1).key().equals(key)) {
          return Optional.of(key);
        }
        slot = (slot + 1) & mask;
      }
      positions[slot] = i + 1;
      hashes[slot] = hash;
    }
    return Optional.empty();
  }

  /** The hash's bits mixed (as a multiplicative hash) so that similar keys take distant slots. */
  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
