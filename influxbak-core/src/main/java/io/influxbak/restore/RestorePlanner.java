package io.influxbak.restore;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.Product;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupNotFoundException;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupRetiredException;
import io.influxbak.repository.IncompleteBackupException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans one restore: from the backup's manifest (or, for an incomplete backup restored on request,
 * from a listing of its root and its journal) the steps to copy, what each must hash to, where each
 * is stored, the prefixes restored and the copy order; licence files only where the options allow.
 */
final class RestorePlanner {
  private final String backupId;
  private final RestoreOptions options;
  private final Optional<ClusterId> cluster;
  private final Optional<NodeId> compactor;

  RestorePlanner(
      String backupId,
      RestoreOptions options,
      Optional<ClusterId> cluster,
      Optional<NodeId> compactor) {
    this.backupId = backupId;
    this.options = options;
    this.cluster = cluster;
    this.compactor = compactor;
  }

  /** What a restore will copy, where, in which order, and what it must check. */
  record Planned(
      KeyPrefix backupRoot,
      Optional<BackupManifest> manifest,
      List<CopyStep> steps,
      Map<ObjectKey, ExpectedContent> expected,
      Map<ObjectKey, StoredCopy> stored,
      List<NodeId> nodes,
      List<KeyPrefix> prefixes,
      CopyOrder order,
      List<ReportedObject> reported) {}

  Planned plan(ObjectStore backupStore, ObjectStore target) throws IOException {
    KeyPrefix backupRoot = BackupId.of(backupId).root();
    if (Retries.retrying(
            options.transfer().retryPolicy(),
            "stat the retired marker of " + backupRoot,
            () -> backupStore.stat(backupRoot.resolve(BackupRepository.RETIRED_MARKER)))
        .isPresent()) {
      throw new BackupRetiredException(backupStore.id(), backupRoot);
    }
    Optional<BackupManifest> manifest =
        Retries.retrying(
            options.transfer().retryPolicy(),
            "read the manifest of " + backupRoot,
            () ->
                BackupRepository.of(backupStore, options.keys())
                    .readManifest(BackupId.of(backupId), options.maxManifestObjects()));
    if (manifest.isEmpty()) {
      if (Retries.retrying(
              options.transfer().retryPolicy(),
              "list " + backupRoot,
              () -> BackupRepository.firstKeys(backupStore, backupRoot))
          .isEmpty()) {
        throw new BackupNotFoundException(backupStore.id(), backupRoot);
      }
      if (!options.allowIncomplete()) {
        throw new IncompleteBackupException(backupStore.id(), backupRoot);
      }
      return planFromListing(backupStore, target, backupRoot);
    }
    BackupManifest m = manifest.get();
    List<CopyStep> steps = new ArrayList<>(m.entries().size());
    Map<ObjectKey, ExpectedContent> expected = new HashMap<>();
    Map<ObjectKey, StoredCopy> stored =
        new HashMap<>(); // only where it is not <backup-id>/<key> as it is
    List<ReportedObject> reported = new ArrayList<>();
    for (ManifestEntry entry : m.entries()) {
      if (entry.kind() == ObjectKind.LICENSE
          && !licenseAllowed(entry.key(), target, Optional.of(m.source()), reported)) {
        continue;
      }
      steps.add(new CopyStep(entry.key(), entry.kind(), entry.phase(), entry.size()));
      expected.put(entry.key(), new ExpectedContent(entry.size(), entry.crc32c(), entry.sha256()));
      if (!entry.stored().isPlain()) {
        stored.put(entry.key(), entry.stored());
      }
    }
    List<NodeId> nodes = m.nodes();
    List<KeyPrefix> prefixes = new ArrayList<>();
    nodes.forEach(node -> prefixes.add(node.prefix()));
    m.cluster().ifPresent(id -> prefixes.add(id.prefix()));
    CopyOrder order =
        m.product() == Product.ENTERPRISE ? CopyOrder.ENTERPRISE_RESTORE : CopyOrder.CORE_RESTORE;
    return new Planned(
        backupRoot, manifest, steps, expected, stored, nodes, prefixes, order, reported);
  }

  /**
   * An incomplete backup, restored from a listing of what it holds, classified by the layouts. What
   * its journal records is checked against the journal's hashes and decoded; the rest is copied as
   * listed, unverified.
   */
  private Planned planFromListing(ObjectStore backupStore, ObjectStore target, KeyPrefix backupRoot)
      throws IOException {
    Map<ObjectKey, ExpectedContent> expected = new HashMap<>();
    Map<ObjectKey, StoredCopy> stored = new HashMap<>();
    Map<ObjectKey, ObjectKey> journalled = new HashMap<>(); // stored key -> node key
    for (ManifestEntry object :
        BackupRepository.of(backupStore, options.keys())
            .presentInJournal(BackupId.of(backupId))
            .objects()
            .values()) {
      if (!object.reused()) {
        journalled.put(object.stored().key(object.key(), backupId), object.key());
        expected.put(
            object.key(), new ExpectedContent(object.size(), object.crc32c(), object.sha256()));
        stored.put(object.key(), object.stored());
      }
    }
    List<CopyStep> steps = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    TreeSet<NodeId> nodes = new TreeSet<>();
    Optional<EnterpriseLayout> layout =
        cluster.map(c -> EnterpriseLayout.of(c, ImmutableList.of(), compactor));
    boolean encrypted =
        BackupRepository.of(backupStore, options.keys()).hasDataKey(BackupId.of(backupId));
    try (ObjectIterator listing = backupStore.list(backupRoot)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        String relative = info.key().relativeTo(backupRoot);
        int slash = relative.indexOf('/');
        if (slash < 0 || BackupRepository.isRecord(relative)) {
          continue; // the backup's own files (start marker, journal), not node data
        }
        ObjectKey nodeKey = journalled.get(info.key());
        if (nodeKey == null && encrypted) {
          reported.add(
              new ReportedObject(
                  info.key(),
                  ObjectKind.UNKNOWN,
                  ReportedObject.Disposition.EXCLUDED,
                  "an encrypted copy no journal chunk records: its node key and plaintext cannot"
                      + " be vouched for; not restored"));
          continue;
        }
        long size = info.size();
        if (nodeKey != null) {
          relative = nodeKey.toString();
          size = expected.get(nodeKey).size();
        }
        String segment = relative.substring(0, slash);
        ObjectKey key = ObjectKey.of(relative);
        NodeObject object;
        if (layout.isPresent() && segment.equals(layout.get().cluster().toString())) {
          object = layout.get().classifyClusterKey(key);
        } else {
          NodeId node = NodeId.of(segment);
          nodes.add(node);
          object =
              layout.isPresent()
                  ? layout.get().classifyNodeKey(node, key)
                  : CoreLayout.of(node).classify(key);
        }
        if (object.kind() == ObjectKind.LICENSE
            && !licenseAllowed(key, target, Optional.empty(), reported)) {
          continue;
        }
        Optional<CopyPhase> phase = CopyPhase.of(object.kind());
        if (phase.isPresent()) {
          steps.add(new CopyStep(key, object.kind(), phase.get(), size));
        }
      }
    }
    List<KeyPrefix> prefixes = new ArrayList<>();
    nodes.forEach(node -> prefixes.add(node.prefix()));
    cluster.ifPresent(id -> prefixes.add(id.prefix()));
    CopyOrder order = cluster.isPresent() ? CopyOrder.ENTERPRISE_RESTORE : CopyOrder.CORE_RESTORE;
    return new Planned(
        backupRoot,
        Optional.empty(),
        steps,
        expected,
        stored,
        ImmutableList.copyOf(nodes),
        prefixes,
        order,
        reported);
  }

  /**
   * Whether a licence file may be restored into {@code target}: only where it was issued for (the
   * manifest's source location), unless the options leave licences out or accept the move.
   */
  private boolean licenseAllowed(
      ObjectKey key, ObjectStore target, Optional<String> origin, List<ReportedObject> reported)
      throws LicenseRelocationException {
    switch (options.licenses()) {
      case EXCLUDE:
        reported.add(
            new ReportedObject(
                key,
                ObjectKind.LICENSE,
                ReportedObject.Disposition.EXCLUDED,
                "licence files left out on request"));
        return false;
      case ACCEPT_RELOCATION:
        return true;
      case REQUIRE_SAME_LOCATION:
        if (origin.isEmpty()) {
          throw new LicenseRelocationException(
              key,
              target.id(),
              "the backup has no manifest recording where the licence was issued for");
        }
        if (!origin.get().equals(target.id().toString())) {
          throw new LicenseRelocationException(
              key, target.id(), "it was issued for " + origin.get());
        }
        return true;
    }
    throw new AssertionError(options.licenses());
  }
}
