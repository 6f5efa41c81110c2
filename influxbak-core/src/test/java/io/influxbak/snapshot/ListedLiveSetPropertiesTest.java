package io.influxbak.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The live set held against a listing (the pinned selection's and the consistency check's) folds
 * exactly as {@link LiveParquetSet#fold} does, for any table indexes, snapshots adding and removing
 * files, listings that miss or repeat keys, in the files' order (where lookups find most keys next
 * to the one found last) or any, and snapshot reads that fail part-way and are read again.
 */
class ListedLiveSetPropertiesTest {
  private static final int TABLES = 3;

  @Property(tries = 300)
  void foldsAsTheLiveParquetSetDoes(@ForAll Random random) throws IOException {
    int files = 1 + random.nextInt(40);
    List<TableIndexFile> indexes = new ArrayList<>();
    for (int table = 0; table < TABLES; table++) {
      if (random.nextInt(10) < 4) {
        indexes.add(
            new TableIndexFile(
                ObjectKey.of("node0/db-indices/1/" + table + "/index.info.json"),
                1,
                table,
                random.nextInt(7),
                someOf(random, files, 0.4, table)));
      }
    }
    List<SnapshotFile> snapshots = new ArrayList<>();
    for (int sequence = 1; sequence <= 6; sequence++) {
      if (random.nextInt(10) < 7) {
        snapshots.add(
            new SnapshotFile(
                ObjectKey.of("node0/snapshots/" + sequence + ".info.json"),
                "node0",
                sequence,
                sequence,
                sequence,
                0,
                0,
                someOf(random, files, 0.3, -1),
                someOf(random, files, 0.15, -1)));
      }
    }
    List<ObjectKey> listed = new ArrayList<>();
    Set<ObjectKey> listedKeys = new HashSet<>();
    listed.add(ObjectKey.of("node0/wal/00000000001.wal"));
    for (int i = 0; i < files; i++) {
      if (random.nextInt(10) < 7) {
        int copies = random.nextInt(10) == 0 ? 2 : 1; // a listing that repeats a key
        for (int copy = 0; copy < copies; copy++) {
          listed.add(key(i));
        }
        listedKeys.add(key(i));
      }
    }
    // A listing in the files' order, as a table's files are listed and written, or any order.
    if (random.nextBoolean()) {
      Collections.shuffle(listed, random);
    }

    LiveParquetSet expected = LiveParquetSet.fold(snapshots, indexes);
    ListedLiveSet live = new ListedLiveSet(listed, ParquetFileRef::maxTime);
    indexes.forEach(live::foldIndex);
    int retried = 0;
    for (SnapshotFile snapshot : snapshots) { // built in ascending sequence
      boolean removalsFirst = random.nextBoolean();
      if (random.nextInt(10) < 3) {
        int cut = random.nextInt(snapshot.added().size() + snapshot.removed().size() + 1);
        assertThatThrownBy(
                () ->
                    live.foldSnapshot(
                        snapshot.snapshotSequence(),
                        entries -> {
                          replay(snapshot, entries, removalsFirst, cut);
                          throw new IOException("connection reset");
                        }))
            .isInstanceOf(IOException.class);
        retried++;
      }
      SnapshotFile read =
          live.foldSnapshot(
              snapshot.snapshotSequence(),
              entries -> {
                replay(snapshot, entries, removalsFirst, Integer.MAX_VALUE);
                return snapshot;
              });
      assertThat(read).isSameAs(snapshot);
    }

    for (int position = 0; position < listed.size(); position++) {
      ObjectKey key = listed.get(position);
      assertThat(live.isLiveAt(position))
          .as("live at %s: %s", position, key)
          .isEqualTo(expected.files().containsKey(key));
      assertThat(live.isReferencedAt(position))
          .as("referenced at %s: %s", position, key)
          .isEqualTo(expected.referenced().contains(key));
      if (live.isLiveAt(position)) {
        assertThat(live.keptAt(position)).isEqualTo(expected.files().get(key).maxTime());
      }
    }
    assertThat(live.unlistedLive())
        .containsExactlyElementsOf(
            expected.files().values().stream()
                .filter(file -> !listedKeys.contains(file.path()))
                .toList());
    assertThat(live.maxKept())
        .isEqualTo(
            expected.files().values().stream()
                .mapToLong(ParquetFileRef::maxTime)
                .max()
                .orElse(Long.MIN_VALUE));

    boolean coveredByIndex =
        snapshots.stream()
            .anyMatch(
                snapshot ->
                    indexes.stream()
                        .anyMatch(
                            index ->
                                snapshot.snapshotSequence() <= index.latestSnapshotSequence()
                                    && snapshot.added().stream()
                                        .anyMatch(file -> file.tableId() == index.tableId())));
    Statistics.label("a snapshot read failed part-way and was read again").collect(retried > 0);
    Statistics.label("a snapshot's file covered by its table's index").collect(coveredByIndex);
    Statistics.label("a live file the listing missed")
        .collect(expected.files().keySet().stream().anyMatch(key -> !listedKeys.contains(key)));
    Statistics.label("a listing that repeats a key").collect(listed.size() > listedKeys.size() + 1);
    Statistics.label("lookups found where they looked first")
        .collect(live.lookupsFoundWhereLookedFirst() > 0);
    Statistics.label("lookups found where they looked first")
        .coverage(c -> c.check(true).percentage(p -> p >= 30));
    Statistics.label("a listing that repeats a key")
        .coverage(c -> c.check(true).percentage(p -> p >= 30));
    Statistics.label("a snapshot read failed part-way and was read again")
        .coverage(c -> c.check(true).percentage(p -> p >= 40));
    Statistics.label("a snapshot's file covered by its table's index")
        .coverage(c -> c.check(true).percentage(p -> p >= 20));
    Statistics.label("a live file the listing missed")
        .coverage(c -> c.check(true).percentage(p -> p >= 30));
  }

  /** Passes the snapshot's entries in the given field order, stopping after {@code limit}. */
  private static void replay(
      SnapshotFile snapshot, SnapshotEntries entries, boolean removalsFirst, int limit) {
    List<Runnable> calls = new ArrayList<>();
    List<Runnable> added =
        snapshot.added().stream().<Runnable>map(f -> () -> entries.added(f)).toList();
    List<Runnable> removed =
        snapshot.removed().stream().<Runnable>map(f -> () -> entries.removed(f)).toList();
    calls.addAll(removalsFirst ? removed : added);
    calls.addAll(removalsFirst ? added : removed);
    calls.stream().limit(limit).forEach(Runnable::run);
  }

  /** Each file with probability {@code p} (of {@code table} only, unless it is -1). */
  private static List<ParquetFileRef> someOf(Random random, int files, double p, int table) {
    List<ParquetFileRef> some = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      if ((table < 0 || i % TABLES == table) && random.nextDouble() < p) {
        some.add(new ParquetFileRef(i, key(i), 8, 1, i % TABLES, 0, random.nextInt(1000)));
      }
    }
    return some;
  }

  private static ObjectKey key(int file) {
    return ObjectKey.of(
        "node0/dbs/db-1/t-" + file % TABLES + "/2026-01-01/00-00/" + file + ".parquet");
  }
}
