package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.ToLongFunction;

/**
 * The live Parquet set of a node, held against its listing rather than as entries of its own: per
 * listed key a live bit, a referenced bit and one number kept from its live entry (the newest row
 * time for a pinned selection, the recorded size for a consistency check), found through an
 * open-addressing table of positions in the listing. Only files the listing did not show are held
 * as entries. A node of a million Parquet files takes about 24 bytes a file on top of its listing
 * this way, where a map of the snapshots' entries took about 300 (the reason a million-file node
 * fit no small heap).
 *
 * <p>A lookup first tries the listed key after the one found last: a snapshot lists a table's files
 * in the order they were written, which is their listing's order (their paths carry the date, the
 * time and the file's number), so most lookups touch one neighbouring key instead of a random slot
 * and a chain of objects. Each probe compares the keys' hashes before the keys themselves.
 *
 * <p>It folds as {@link LiveParquetSet} does: table indexes first, then snapshots in ascending
 * sequence, each adding its files and then dropping the files it removed, except that a table with
 * an index takes only the snapshots newer than the index has absorbed. Snapshot entries stream in
 * ({@link #foldSnapshot}): no snapshot's list is ever held whole.
 */
public final class ListedLiveSet {
  /** Reads one snapshot file, passing its entries to the fold. */
  @FunctionalInterface
  public interface SnapshotRead {
    SnapshotFile read(SnapshotEntries entries) throws IOException;
  }

  private final List<ObjectKey> listed;
  private final ToLongFunction<ParquetFileRef> kept;

  /** Position in {@link #listed} plus one by hash of the key; 0 marks an empty slot. */
  private final int[] slots;

  /** The spread hash of each listed key, by position in {@link #listed}. */
  private final int[] hashes;

  /** The position after the last key found: where the next lookup looks first. */
  private int next;

  private long foundWhereLooked;

  private final BitSet live = new BitSet();
  private final BitSet referenced = new BitSet();

  /** What {@link #kept} keeps of the live entry, by position in {@link #listed}. */
  private final long[] keptValues;

  /** The first position of a key listed more than once, by its later positions. */
  private final Map<Integer, Integer> repeats = new HashMap<>();

  private final Map<ObjectKey, ParquetFileRef> unlistedLive = new LinkedHashMap<>();

  /** The newest snapshot each indexed table's index has absorbed, by [database, table]. */
  private final Map<List<Long>, Long> indexedUpTo = new HashMap<>();

  /**
   * An empty live set over {@code listed} (what a listing of the node showed, in any order; a key
   * may repeat), keeping {@code kept} of each live file's entry.
   */
  public ListedLiveSet(List<ObjectKey> listed, ToLongFunction<ParquetFileRef> kept) {
    requireNonNull(listed, "listed is null");
    this.listed = listed instanceof RandomAccess ? listed : new ArrayList<>(listed);
    this.kept = requireNonNull(kept, "kept is null");
    this.slots = new int[Math.max(2, Integer.highestOneBit(Math.max(1, listed.size())) << 2)];
    this.keptValues = new long[listed.size()];
    this.hashes = new int[listed.size()];
    for (int position = 0; position < this.listed.size(); position++) {
      ObjectKey key = this.listed.get(position);
      int hash = spread(key);
      hashes[position] = hash;
      int slot = slotOf(key, hash);
      if (slots[slot] == 0) {
        slots[slot] = position + 1;
      } else { // a key listed twice keeps its first position
        repeats.put(position, slots[slot] - 1);
      }
    }
  }

  /** Folds in a table index no newer than the pin: its files live, and its table covered. */
  public void foldIndex(TableIndexFile index) {
    indexedUpTo.put(List.of(index.databaseId(), index.tableId()), index.latestSnapshotSequence());
    for (ParquetFileRef file : index.files()) {
      put(file);
    }
  }

  /**
   * Folds in the snapshot {@code read} reads, which must be newer than every snapshot folded in
   * before. Its additions apply as they stream in, its removals once it is read whole; read again
   * after a failure, it folds to the same set (an addition applied twice is applied once).
   *
   * @param sequence the snapshot's sequence, as its file name gives it
   */
  public SnapshotFile foldSnapshot(long sequence, SnapshotRead read) throws IOException {
    List<ParquetFileRef> removed = new ArrayList<>();
    SnapshotFile file =
        read.read(
            new SnapshotEntries() {
              @Override
              public void added(ParquetFileRef added) {
                if (covered(added, sequence)) {
                  reference(added.path());
                } else {
                  put(added);
                }
              }

              @Override
              public void removed(ParquetFileRef gone) {
                removed.add(gone);
              }
            });
    for (ParquetFileRef gone : removed) {
      if (!covered(gone, sequence)) {
        remove(gone.path());
      }
    }
    return file;
  }

  /** Whether a live file has the key at {@code position} of the listing. */
  public boolean isLiveAt(int position) {
    return live.get(first(position));
  }

  /** Whether any folded index or snapshot names the key at {@code position} of the listing. */
  public boolean isReferencedAt(int position) {
    return referenced.get(first(position));
  }

  /** What was kept of the live entry of the key at {@code position}, if {@link #isLiveAt}. */
  public long keptAt(int position) {
    return keptValues[first(position)];
  }

  /** The live files whose keys the listing did not show, in the order they became live. */
  public Collection<ParquetFileRef> unlistedLive() {
    return unlistedLive.values();
  }

  /** The largest value kept of any live file; {@link Long#MIN_VALUE} when none is live. */
  public long maxKept() {
    long max = Long.MIN_VALUE;
    for (int position = live.nextSetBit(0);
        position >= 0;
        position = live.nextSetBit(position + 1)) {
      max = Math.max(max, keptValues[position]);
    }
    for (ParquetFileRef file : unlistedLive.values()) {
      max = Math.max(max, kept.applyAsLong(file));
    }
    return max;
  }

  /** How many lookups found their key after the one found last (a property test asks). */
  long lookupsFoundWhereLookedFirst() {
    return foundWhereLooked;
  }

  private int first(int position) {
    return repeats.isEmpty() ? position : repeats.getOrDefault(position, position);
  }

  private boolean covered(ParquetFileRef file, long snapshotSequence) {
    if (indexedUpTo.isEmpty()) { // no table index folded: no key to box per entry
      return false;
    }
    Long upTo = indexedUpTo.get(List.of(file.databaseId(), file.tableId()));
    return upTo != null && Long.compareUnsigned(snapshotSequence, upTo) <= 0;
  }

  private void put(ParquetFileRef file) {
    int position = position(file.path());
    if (position >= 0) {
      live.set(position);
      referenced.set(position);
      keptValues[position] = kept.applyAsLong(file);
    } else {
      unlistedLive.put(file.path(), file);
    }
  }

  /** Marks a listed key referenced; whether an unlisted one is referenced nobody asks. */
  private void reference(ObjectKey key) {
    int position = position(key);
    if (position >= 0) {
      referenced.set(position);
    }
  }

  private void remove(ObjectKey key) {
    int position = position(key);
    if (position >= 0) {
      live.clear(position);
    } else {
      unlistedLive.remove(key);
    }
  }

  /** The key's first position in the listing, or -1. */
  private int position(ObjectKey key) {
    int hash = spread(key);
    int hinted = next;
    if (hinted < hashes.length && hashes[hinted] == hash && listed.get(hinted).equals(key)) {
      next = hinted + 1;
      foundWhereLooked++;
      return first(hinted);
    }
    int found = slots[slotOf(key, hash)] - 1;
    if (found >= 0) {
      next = found + 1;
    }
    return found;
  }

  /** The slot that holds the key's position, or the empty slot where it would go. */
  private int slotOf(ObjectKey key, int hash) {
    int slot = (hash ^ (hash >>> 16)) & (slots.length - 1);
    for (int held = slots[slot]; held != 0; held = slots[slot]) {
      if (hashes[held - 1] == hash && listed.get(held - 1).equals(key)) {
        break;
      }
      slot = (slot + 1) & (slots.length - 1);
    }
    return slot;
  }

  private static int spread(ObjectKey key) {
    return key.hashCode() * 0x9E3779B9; // spreads keys that differ in their last characters
  }
}
