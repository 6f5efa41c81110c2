package io.influxbak.consistency;

import static java.util.Objects.requireNonNull;

import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks that a node, in a live store or in a backup, is what an InfluxDB 3 server can start from
 * without losing data:
 *
 * <ul>
 *   <li>every snapshot file parses; the newest gives the consistency point;
 *   <li>every live Parquet file (snapshots folded over table indexes) is present with its recorded
 *       size; a missing one that the source lacked (always, on a live store) may have been deleted
 *       by retention (warning, the same finding wherever it is checked); one a backup or restore
 *       lost is an error;
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

  /**
   * The file a restore keeps in each node (and cluster) prefix it writes until it completes: found
   * there, the node is the remains of a restore that failed or was killed.
   */
  public static final String RESTORE_MARKER = "influxbak-restore-incomplete.json";

  /** The one finding for a live Parquet file the source did not have, wherever it is checked. */
  static final String ABSENT_AT_SOURCE =
      "referenced by a snapshot but absent (retention or a hard delete may have removed it)";

  private ConsistencyCheck() {}

  /**
   * Checks {@code node}, whose keys lie under {@code root} in {@code store} ({@link KeyPrefix#ROOT}
   * for a live store, {@code <backup-id>/} for a backup).
   */
  public static ConsistencyReport check(
      ObjectReader store, KeyPrefix root, NodeId node, Source source) throws IOException {
    requireNonNull(source, "source is null");
    return checkNode(store, root, node, absentAtSource(source), true, new ArrayList<>());
  }

  /**
   * Checks {@code node} in a backup, or restored from one, whose record says which keys were
   * already absent at the source when the backup ran ({@link BackupManifest#absentAtSource}). A
   * live Parquet file missing for that reason gets the live check's finding, a warning (retention
   * or a hard delete deletes Parquet files that older snapshots still name); one missing for any
   * other reason is an error: the backup, or the restore, lost it.
   *
   * @param root {@code <backup-id>/}, or {@link KeyPrefix#ROOT} for a node restored from the backup
   *     or a backup seen through its manifest
   */
  public static ConsistencyReport checkBackup(
      ObjectReader store, KeyPrefix root, NodeId node, Predicate<ObjectKey> absentAtSource)
      throws IOException {
    requireNonNull(absentAtSource, "absentAtSource is null");
    return checkNode(store, root, node, absentAtSource, true, new ArrayList<>());
  }

  /**
   * Checks every node (and, for Enterprise, the cluster) that {@code manifest} names, in {@code
   * nodeData}: a backup seen through its manifest ({@code BackupView}) or a store it was restored
   * to. The cluster's findings come last, as a report named by the cluster id. The same manifest
   * and node data give the same findings wherever they are checked.
   */
  public static List<ConsistencyReport> checkBackup(
      ObjectReader nodeData, KeyPrefix root, BackupManifest manifest) throws IOException {
    requireNonNull(manifest, "manifest is null");
    if (manifest.cluster().isPresent()) {
      return checkCluster(
              nodeData,
              root,
              EnterpriseLayout.of(manifest.cluster().get(), manifest.nodes(), Optional.empty()),
              manifest::absentAtSource)
          .reports();
    }
    List<ConsistencyReport> reports = new ArrayList<>();
    for (NodeId node : manifest.nodes()) {
      reports.add(checkBackup(nodeData, root, node, manifest::absentAtSource));
    }
    return reports;
  }

  private static Predicate<ObjectKey> absentAtSource(Source source) {
    return source == Source.LIVE ? key -> true : key -> false;
  }

  /**
   * Checks an Enterprise cluster: every node with the Core rules except the catalog, which lives
   * under the cluster prefix and is checked there, against the snapshots of every node; then the
   * cluster files (licence files absent are reported as information).
   */
  public static ClusterConsistencyReport checkCluster(
      ObjectReader store, KeyPrefix root, EnterpriseLayout layout, Source source)
      throws IOException {
    requireNonNull(source, "source is null");
    return checkCluster(store, root, layout, absentAtSource(source));
  }

  private static ClusterConsistencyReport checkCluster(
      ObjectReader store,
      KeyPrefix root,
      EnterpriseLayout layout,
      Predicate<ObjectKey> absentAtSource)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(root, "root is null");
    requireNonNull(layout, "layout is null");
    List<SnapshotFile> snapshots = new ArrayList<>();
    List<ConsistencyReport> nodes = new ArrayList<>();
    for (NodeId node : layout.nodes()) {
      nodes.add(checkNode(store, root, node, absentAtSource, false, snapshots));
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
   * @param absentAtSource whether a missing live Parquet file was already absent at the source
   *     (always, for a live store)
   */
  private static ConsistencyReport checkNode(
      ObjectReader store,
      KeyPrefix root,
      NodeId node,
      Predicate<ObjectKey> absentAtSource,
      boolean withCatalog,
      List<SnapshotFile> snapshotsOut)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(root, "root is null");
    requireNonNull(node, "node is null");
    CoreLayout layout = CoreLayout.of(node);
    List<Finding> findings = new ArrayList<>();
    // Parquet files as keys and sizes only: a node can hold millions of them, and their listing
    // records and classified objects held until the end took about 90 bytes a file more.
    ParquetCheck parquet = new ParquetCheck();
    Map<ObjectKey, Long> sizes = new HashMap<>(); // of the other objects
    Map<ObjectKind, List<NodeObject>> byKind = new EnumMap<>(ObjectKind.class);
    try (ObjectIterator listing = store.list(root.resolvePrefix(node.toString()))) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        // under the root prefix, the listed key as it is: not a second copy of a million keys
        ObjectKey key =
            root.equals(KeyPrefix.ROOT) ? info.key() : ObjectKey.of(info.key().relativeTo(root));
        if (key.equals(node.prefix().resolve(RESTORE_MARKER))) {
          findings.add(
              new Finding(
                  Severity.ERROR,
                  key,
                  "restore incomplete: a restore into this node failed or was killed; finish it"
                      + " (restore --resume) or redo it (restore --replace)"));
          continue;
        }
        NodeObject object = layout.classify(key);
        if (object.kind() == ObjectKind.PARQUET) {
          parquet.add(key, info.size());
        } else {
          sizes.put(key, info.size());
          byKind.computeIfAbsent(object.kind(), k -> new ArrayList<>()).add(object);
        }
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
    if (sizes.isEmpty() && parquet.isEmpty()) {
      findings.add(
          new Finding(
              Severity.ERROR,
              node.prefix().resolve("snapshots"),
              "the node prefix holds no object"));
      return new ConsistencyReport(node, OptionalLong.empty(), OptionalLong.empty(), 0, findings);
    }

    List<TableIndexFile> indexes = new ArrayList<>();
    List<Finding> indexFindings = new ArrayList<>(); // reported after the snapshots', as always
    for (NodeObject object : byKind.getOrDefault(ObjectKind.TABLE_INDEX, List.of())) {
      try {
        indexes.add(
            SnapshotReader.readIndex(
                store, root.resolve(object.key()), object, sizes.get(object.key())));
      } catch (SnapshotFormatException e) {
        indexFindings.add(
            new Finding(
                Severity.WARNING,
                object.key(),
                e.getMessage() + " (the server rebuilds indexes, without retention until then)"));
      }
    }
    ParquetCheck.Folded folded =
        parquet.fold(
            store,
            root,
            byKind.getOrDefault(ObjectKind.SNAPSHOT, List.of()),
            sizes::get,
            indexes,
            findings);
    findings.addAll(indexFindings);
    List<SnapshotFile> snapshots = folded.snapshots();
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
    folded.report(absentAtSource, findings);

    long walAfter = WalFiles.check(store, root, byKind, newest, findings);
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

  /** An object whole, up to the largest file the snapshot reader reads. */
  static byte[] read(ObjectReader store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readNBytes((int) SnapshotReader.MAX_FILE_BYTES);
    }
  }
}
