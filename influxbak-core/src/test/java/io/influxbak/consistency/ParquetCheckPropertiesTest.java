package io.influxbak.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.consistency.ConsistencyCheck.Source;
import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.snapshot.LiveParquetSet;
import io.influxbak.snapshot.ParquetFileRef;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.snapshot.TableIndexFile;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The check's Parquet findings, from a live set folded against the listed keys as the snapshots
 * stream, are those of the whole-set fold ({@link LiveParquetSet}) over the snapshots that parse:
 * for generated nodes with snapshots cut short (malformed after some of their entries had already
 * streamed into the fold), Parquet files deleted, resized and added.
 */
class ParquetCheckPropertiesTest {
  private static final String ENTRY_END = "\"max_time\": 1788805228000000000}";

  @Property(tries = 150)
  void findsWhatTheWholeSetFoldFinds(@ForAll("nodes") GeneratedNode node, @ForAll Random random)
      throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    node.writeTo(store);
    boolean cutAfterAnEntry = false;
    for (ObjectKey snapshot : node.keysOf(java.util.Set.of(ObjectKind.SNAPSHOT))) {
      if (random.nextInt(3) == 0) {
        String json = new String(store.bytes(snapshot).orElseThrow(), StandardCharsets.UTF_8);
        int firstEntryEnd = json.indexOf(ENTRY_END);
        int cut =
            firstEntryEnd >= 0 && random.nextBoolean()
                ? firstEntryEnd + ENTRY_END.length() + random.nextInt(4)
                : random.nextInt(json.length() - 2);
        cutAfterAnEntry |= firstEntryEnd >= 0 && cut > firstEntryEnd + ENTRY_END.length();
        store.write(
            snapshot,
            ObjectContent.ofBytes(Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), cut)),
            WriteMode.REPLACE);
      }
    }
    List<ObjectKey> parquet = new ArrayList<>(node.keysOf(java.util.Set.of(ObjectKind.PARQUET)));
    for (ObjectKey key : parquet) {
      switch (random.nextInt(8)) {
        case 0 -> store.delete(key);
        case 1 ->
            store.write(
                key,
                ObjectContent.ofBytes(new byte[(int) store.stat(key).orElseThrow().size() + 3]),
                WriteMode.REPLACE);
        default -> {}
      }
    }
    if (random.nextBoolean()) {
      store.write(
          ObjectKey.of(node.node() + "/dbs/9/9/2026-09-07/10-00/0000000001.parquet"),
          ObjectContent.ofBytes(InfluxFiles.parquet(100, 1)),
          WriteMode.CREATE_NEW);
    }

    ConsistencyReport report =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, node.node(), Source.BACKUP);

    CoreLayout layout = CoreLayout.of(node.node());
    Map<ObjectKey, Long> sizes = new HashMap<>();
    try (ObjectIterator listing = store.list(KeyPrefix.of(node.node() + "/"))) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        sizes.put(info.key(), info.size());
      }
    }
    List<SnapshotFile> snapshots = new ArrayList<>();
    List<TableIndexFile> indexes = new ArrayList<>();
    List<Finding> expected = new ArrayList<>();
    for (Map.Entry<ObjectKey, Long> listed : sizes.entrySet()) {
      NodeObject object = layout.classify(listed.getKey());
      try {
        if (object.kind() == ObjectKind.SNAPSHOT) {
          snapshots.add(SnapshotReader.read(store, object.key(), object, listed.getValue()));
        } else if (object.kind() == ObjectKind.TABLE_INDEX) {
          indexes.add(SnapshotReader.readIndex(store, object.key(), object, listed.getValue()));
        }
      } catch (SnapshotFormatException e) {
        if (object.kind() == ObjectKind.SNAPSHOT) {
          expected.add(new Finding(Severity.ERROR, object.key(), e.getMessage()));
        }
      }
    }
    LiveParquetSet live = LiveParquetSet.fold(snapshots, indexes);
    for (ParquetFileRef file : live.files().values()) {
      Long size = sizes.get(file.path());
      if (size == null) {
        expected.add(
            new Finding(
                Severity.ERROR,
                file.path(),
                "referenced by a snapshot but missing from the backup"));
      } else if (size != file.size()) {
        expected.add(
            new Finding(
                Severity.ERROR,
                file.path(),
                "size " + size + ", the snapshot records " + file.size()));
      }
    }
    for (ObjectKey key : sizes.keySet()) {
      if (layout.classify(key).kind() == ObjectKind.PARQUET && !live.referenced().contains(key)) {
        expected.add(
            new Finding(
                Severity.INFO,
                key,
                "orphan: no snapshot or table index references it; the server ignores it"));
      }
    }

    List<Finding> parquetAndSnapshotFindings =
        report.findings().stream()
            .filter(
                f -> layout.classify(f.key()).kind() == ObjectKind.PARQUET || expected.contains(f))
            .toList();
    assertThat(parquetAndSnapshotFindings).containsExactlyInAnyOrderElementsOf(expected);
    OptionalLong newest =
        snapshots.stream()
            .mapToLong(SnapshotFile::snapshotSequence)
            .reduce((a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    assertThat(report.newestSnapshot()).isEqualTo(newest);

    Statistics.label("a snapshot malformed after an entry had streamed into the fold")
        .collect(cutAfterAnEntry && expected.stream().anyMatch(f -> isSnapshot(layout, f)));
    Statistics.label("a live file missing or resized")
        .collect(expected.stream().anyMatch(f -> f.severity() == Severity.ERROR));
    Statistics.label("a snapshot malformed after an entry had streamed into the fold")
        .coverage(c -> c.check(true).percentage(p -> p >= 15));
    Statistics.label("a live file missing or resized")
        .coverage(c -> c.check(true).percentage(p -> p >= 30));
  }

  private static boolean isSnapshot(CoreLayout layout, Finding finding) {
    return layout.classify(finding.key()).kind() == ObjectKind.SNAPSHOT;
  }

  @Provide
  Arbitrary<GeneratedNode> nodes() {
    return CoreNodeArbitraries.coreNodes();
  }
}
