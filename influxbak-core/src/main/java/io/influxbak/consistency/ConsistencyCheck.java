package io.influxbak.consistency;

import static java.util.Objects.requireNonNull;

import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.InternalFraming;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.snapshot.LiveParquetSet;
import io.influxbak.snapshot.ParquetFileRef;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.snapshot.TableIndexFile;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks that a node, in a live store or in a backup, is what an InfluxDB 3 server can start from
 * without losing data:
 *
 * <ul>
 *   <li>every snapshot file parses; the newest gives the consistency point;
 *   <li>every live Parquet file (snapshots folded over table indexes) is present with its recorded
 *       size; on a live store a missing one may have been deleted by retention (warning), in a
 *       backup it is an error;
 *   <li>Parquet files nothing references are orphans the server ignores (info);
 *   <li>WAL files after the snapshot's WAL sequence are counted, with gaps, zero-byte and bad-CRC
 *       files (warnings: the server skips them, and their writes are lost);
 *   <li>the live catalog generation (the newest of {@code catalogs/}, {@code catalog/v2}, {@code
 *       catalog/v3}) has its checkpoint or snapshot plus every later log, contiguous, of one
 *       catalog UUID on 3.10+, and covers the snapshots' catalog sequence; every catalog file's
 *       framing is sound; older generations end with an {@code idb3.EOF.l} marker.
 * </ul>
 */
public final class ConsistencyCheck {
  /** Where the node lives, which decides how a missing live Parquet file is judged. */
  public enum Source {
    /** A running (or stopped) server's store: retention may delete referenced Parquet files. */
    LIVE,
    /** A backup: every live Parquet file must be there. */
    BACKUP
  }

  private ConsistencyCheck() {}

  /**
   * Checks {@code node}, whose keys lie under {@code root} in {@code store} ({@link KeyPrefix#ROOT}
   * for a live store, {@code <backup-id>/} for a backup).
   */
  public static ConsistencyReport check(
      ObjectReader store, KeyPrefix root, NodeId node, Source source) throws IOException {
    return checkNode(store, root, node, source, Optional.empty(), true, new ArrayList<>());
  }

  /**
   * Checks {@code node} in a backup whose record (its manifest) lists the node keys {@code
   * recorded} accepts. A live Parquet file missing from the backup is an error only when the record
   * lists it: the backup lost it. One the record does not list was already gone from the source
   * when the backup was taken (retention or a hard delete deletes Parquet files that older
   * snapshots still name), a warning, as on a live store.
   *
   * @param root {@code <backup-id>/}, or {@link KeyPrefix#ROOT} for a node restored from the backup
   */
  public static ConsistencyReport checkBackup(
      ObjectReader store, KeyPrefix root, NodeId node, Predicate<ObjectKey> recorded)
      throws IOException {
    requireNonNull(recorded, "recorded is null");
    return checkNode(
        store, root, node, Source.BACKUP, Optional.of(recorded), true, new ArrayList<>());
  }

  /**
   * Checks an Enterprise cluster: every node with the Core rules except the catalog, which lives
   * under the cluster prefix and is checked there, against the snapshots of every node; then the
   * cluster files (licence files absent are reported as information).
   */
  public static ClusterConsistencyReport checkCluster(
      ObjectReader store, KeyPrefix root, EnterpriseLayout layout, Source source)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(root, "root is null");
    requireNonNull(layout, "layout is null");
    requireNonNull(source, "source is null");
    List<SnapshotFile> snapshots = new ArrayList<>();
    List<ConsistencyReport> nodes = new ArrayList<>();
    for (NodeId node : layout.nodes()) {
      nodes.add(checkNode(store, root, node, source, Optional.empty(), false, snapshots));
    }
    List<Finding> findings = new ArrayList<>();
    Map<ObjectKind, List<NodeObject>> byKind = new EnumMap<>(ObjectKind.class);
    Set<String> present = new java.util.HashSet<>();
    try (ObjectIterator listing = store.list(root.resolvePrefix(layout.cluster().toString()))) {
      while (listing.hasNext()) {
        ObjectKey key = ObjectKey.of(listing.next().key().relativeTo(root));
        NodeObject object = layout.classifyClusterKey(key);
        byKind.computeIfAbsent(object.kind(), k -> new ArrayList<>()).add(object);
        present.add(key.relativeTo(layout.cluster().prefix()));
      }
    }
    if (present.isEmpty()) {
      findings.add(
          new Finding(
              Severity.ERROR,
              layout.cluster().prefix().resolve("enterprise"),
              "the cluster prefix holds no object"));
    } else {
      CatalogChain.check(store, root, byKind, snapshots, findings);
      for (String license : EnterpriseLayout.LICENSE_FILES) {
        if (!present.contains(license)) {
          findings.add(
              new Finding(
                  Severity.INFO,
                  layout.cluster().prefix().resolve(license),
                  "no such licence file"));
        }
      }
    }
    return new ClusterConsistencyReport(layout.cluster(), nodes, findings);
  }

  /**
   * Checks one node; adds its parsed snapshots to {@code snapshotsOut}.
   *
   * @param recorded for a backup, the keys its record lists, if known
   */
  private static ConsistencyReport checkNode(
      ObjectReader store,
      KeyPrefix root,
      NodeId node,
      Source source,
      Optional<Predicate<ObjectKey>> recorded,
      boolean withCatalog,
      List<SnapshotFile> snapshotsOut)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(root, "root is null");
    requireNonNull(node, "node is null");
    requireNonNull(source, "source is null");
    CoreLayout layout = CoreLayout.of(node);
    List<Finding> findings = new ArrayList<>();
    Map<ObjectKey, ObjectInfo> objects = new TreeMap<>();
    Map<ObjectKind, List<NodeObject>> byKind = new EnumMap<>(ObjectKind.class);
    try (ObjectIterator listing = store.list(root.resolvePrefix(node.toString()))) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        ObjectKey key = ObjectKey.of(info.key().relativeTo(root));
        objects.put(key, info);
        NodeObject object = layout.classify(key);
        byKind.computeIfAbsent(object.kind(), k -> new ArrayList<>()).add(object);
      }
    }
    for (ObjectKey leftover : store.incompleteWrites(root.resolvePrefix(node.toString()))) {
      findings.add(
          new Finding(
              Severity.WARNING,
              ObjectKey.of(leftover.relativeTo(root)),
              "temporary file of an interrupted write (a killed backup or restore): not data;"
                  + " the next restore or backup there deletes it"));
    }
    if (objects.isEmpty()) {
      findings.add(
          new Finding(
              Severity.ERROR,
              node.prefix().resolve("snapshots"),
              "the node prefix holds no object"));
      return new ConsistencyReport(node, OptionalLong.empty(), OptionalLong.empty(), 0, findings);
    }

    List<SnapshotFile> snapshots = new ArrayList<>();
    for (NodeObject object : byKind.getOrDefault(ObjectKind.SNAPSHOT, List.of())) {
      try {
        snapshots.add(
            SnapshotReader.read(
                store, root.resolve(object.key()), object, objects.get(object.key()).size()));
      } catch (SnapshotFormatException e) {
        findings.add(new Finding(Severity.ERROR, object.key(), e.getMessage()));
      }
    }
    List<TableIndexFile> indexes = new ArrayList<>();
    for (NodeObject object : byKind.getOrDefault(ObjectKind.TABLE_INDEX, List.of())) {
      try {
        indexes.add(
            SnapshotReader.readIndex(
                store, root.resolve(object.key()), object, objects.get(object.key()).size()));
      } catch (SnapshotFormatException e) {
        findings.add(
            new Finding(
                Severity.WARNING,
                object.key(),
                e.getMessage() + " (the server rebuilds indexes, without retention until then)"));
      }
    }
    Optional<SnapshotFile> newest =
        snapshots.stream()
            .max((a, b) -> Long.compareUnsigned(a.snapshotSequence(), b.snapshotSequence()));
    newest.ifPresent(
        s ->
            findings.add(
                new Finding(
                    Severity.INFO,
                    s.key(),
                    "consistent to snapshot "
                        + Long.toUnsignedString(s.snapshotSequence())
                        + " (WAL "
                        + Long.toUnsignedString(s.walFileSequence())
                        + ")")));

    checkParquet(objects, byKind, snapshots, indexes, source, recorded, findings);
    long walAfter = checkWal(store, root, byKind, newest, findings);
    if (withCatalog) {
      CatalogChain.check(store, root, byKind, snapshots, findings);
    }
    snapshotsOut.addAll(snapshots);

    return new ConsistencyReport(
        node,
        newest.map(s -> OptionalLong.of(s.snapshotSequence())).orElse(OptionalLong.empty()),
        newest.map(s -> OptionalLong.of(s.walFileSequence())).orElse(OptionalLong.empty()),
        walAfter,
        findings);
  }

  private static void checkParquet(
      Map<ObjectKey, ObjectInfo> objects,
      Map<ObjectKind, List<NodeObject>> byKind,
      List<SnapshotFile> snapshots,
      List<TableIndexFile> indexes,
      Source source,
      Optional<Predicate<ObjectKey>> recorded,
      List<Finding> findings) {
    LiveParquetSet live = LiveParquetSet.fold(snapshots, indexes);
    for (ParquetFileRef file : live.files().values()) {
      ObjectInfo info = objects.get(file.path());
      if (info == null) {
        if (source == Source.LIVE) {
          findings.add(
              new Finding(
                  Severity.WARNING,
                  file.path(),
                  "referenced by a snapshot but absent (retention or a hard delete may have removed it)"));
        } else if (recorded.isPresent() && !recorded.get().test(file.path())) {
          findings.add(
              new Finding(
                  Severity.WARNING,
                  file.path(),
                  "referenced by a snapshot but absent from the source when the backup was taken (retention or a hard delete had removed it)"));
        } else {
          findings.add(
              new Finding(
                  Severity.ERROR,
                  file.path(),
                  "referenced by a snapshot but missing from the backup"));
        }
      } else if (info.size() != file.size()) {
        findings.add(
            new Finding(
                Severity.ERROR,
                file.path(),
                "size " + info.size() + ", the snapshot records " + file.size()));
      }
    }
    for (NodeObject parquet : byKind.getOrDefault(ObjectKind.PARQUET, List.of())) {
      if (!live.referenced().contains(parquet.key())) {
        findings.add(
            new Finding(
                Severity.INFO,
                parquet.key(),
                "orphan: no snapshot or table index references it; the server ignores it"));
      }
    }
  }

  /** Checks the WAL files after the newest snapshot; returns how many there are. */
  private static long checkWal(
      ObjectReader store,
      KeyPrefix root,
      Map<ObjectKind, List<NodeObject>> byKind,
      Optional<SnapshotFile> newest,
      List<Finding> findings)
      throws IOException {
    long pin = newest.map(SnapshotFile::walFileSequence).orElse(0L);
    List<NodeObject> after = new ArrayList<>();
    for (NodeObject wal : byKind.getOrDefault(ObjectKind.WAL, List.of())) {
      if (Long.compareUnsigned(wal.sequence().getAsLong(), pin) > 0) {
        after.add(wal);
      }
    }
    after.sort((a, b) -> Long.compareUnsigned(a.sequence().getAsLong(), b.sequence().getAsLong()));
    long expected = -1;
    for (NodeObject wal : after) {
      long sequence = wal.sequence().getAsLong();
      if (expected >= 0 && sequence != expected) {
        findings.add(
            new Finding(
                Severity.WARNING,
                wal.key(),
                "WAL gap: files "
                    + expected
                    + " to "
                    + (sequence - 1)
                    + " are absent (the server tolerates gaps)"));
      }
      expected = sequence + 1;
      InternalFraming.problem(ObjectKind.WAL, read(store, root.resolve(wal.key())))
          .ifPresent(
              p ->
                  findings.add(
                      new Finding(
                          Severity.WARNING,
                          wal.key(),
                          p + "; the server skips this WAL file and its writes")));
    }
    if (!after.isEmpty()) {
      findings.add(
          new Finding(
              Severity.INFO,
              after.get(after.size() - 1).key(),
              after.size() + " WAL file(s) hold writes newer than the snapshot"));
    }
    return after.size();
  }

  /** An object whole, up to the largest file the snapshot reader reads. */
  static byte[] read(ObjectReader store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readNBytes((int) SnapshotReader.MAX_FILE_BYTES);
    }
  }
}
