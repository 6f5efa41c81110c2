package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;

import io.influxbak.store.ObjectKey;
import java.util.List;
import java.util.Optional;

/**
 * Finds a key that a manifest's entries name twice, with one array of longs rather than a {@code
 * HashSet} of keys: an open-addressing table of entry positions, each beside its key's hash, which
 * is compared before the keys are. Reading a manifest of a million entries, the set's insertions
 * and resizes took a quarter of the reading thread's samples, and its million nodes, garbage as
 * soon as the check ended, kept G1's collector and refinement threads busy beside it (measured with
 * {@code perf}; the figures are in docs/performance.md).
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
    // each slot the key's hash (high half) and the entry's position + 1 (low half; 0 is empty), in
    // one long: a probe of a table larger than the cache misses once, not once for each of two
    long[] slots = new long[capacity];
    for (int i = 0; i < size; i++) {
      ObjectKey key = entries.get(i).key();
      int hash = key.hashCode();
      int slot = spread(hash) & mask;
      for (long held = slots[slot]; held != 0; held = slots[slot]) {
        if ((int) (held >>> 32) == hash && entries.get((int) held - 1).key().equals(key)) {
          return Optional.of(key);
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = (long) hash << 32 | (i + 1);
    }
    return Optional.empty();
  }

  /** The hash's bits mixed (as a multiplicative hash) so that similar keys take distant slots. */
  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
