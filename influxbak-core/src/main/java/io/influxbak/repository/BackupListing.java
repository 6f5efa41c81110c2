package io.influxbak.repository;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.SourceFinding;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the backups in a store from its first level: which prefixes are backups (a manifest, a
 * start marker or a retired marker under them) and in what state. {@link BackupRepository#list()}
 * and {@link BackupRepository#completeHeaders()} read through it.
 */
final class BackupListing {
  private final BackupRepository repository;

  BackupListing(BackupRepository repository) {
    this.repository = repository;
  }

  private ObjectStore store() {
    return repository.store();
  }

  /**
   * The headers ({@link ManifestFormat#readHeader}) of the complete backups in the store: what
   * choosing a parent for an incremental backup needs, without reading every manifest's entries.
   * Finds the backups with a delimiter listing of the store's first level ({@link
   * ObjectStore#childPrefixes}) and two requests each.
   */
  List<BackupManifest> completeHeaders() throws IOException {
    List<BackupManifest> headers = new ArrayList<>();
    for (String id : new TreeSet<>(firstSegments())) {
      KeyPrefix root = KeyPrefix.of(id);
      ObjectKey key = root.resolve(ManifestFormat.FILE_NAME);
      if (store().stat(root.resolve(BackupRepository.RETIRED_MARKER)).isPresent()
          || store().stat(key).isEmpty()) {
        continue;
      }
      try (InputStream in = repository.openRecord(BackupId.of(id), key)) {
        BackupManifest header = ManifestFormat.readHeader(in, key.toString());
        if (header.backupId().equals(id)) {
          headers.add(header);
        }
      } catch (IOException e) {
        if (!unreadable(e)) {
          throw e;
        }
        // a manifest that does not read (or vanished) proves nothing: not a parent to build on
      }
    }
    return ImmutableList.copyOf(headers);
  }

  private List<String> firstSegments() throws IOException {
    List<String> ids = new ArrayList<>();
    for (KeyPrefix child : store().childPrefixes(KeyPrefix.ROOT)) {
      String id = child.toString();
      ids.add(id.substring(0, id.length() - 1));
    }
    return ids;
  }

  /**
   * Every backup in the store: the prefixes {@code <id>/} that hold a manifest (complete), a start
   * marker (incomplete) or a retired marker (retired). Finds them with a delimiter listing of the
   * store's first level and up to three requests each; reads each complete backup's manifest, and
   * lists incomplete and retired ones.
   */
  List<BackupSummary> list() throws IOException {
    List<BackupSummary> summaries = new ArrayList<>();
    for (String id : new TreeSet<>(firstSegments())) {
      KeyPrefix root = KeyPrefix.of(id);
      boolean retired = store().stat(root.resolve(BackupRepository.RETIRED_MARKER)).isPresent();
      boolean withManifest =
          !retired && store().stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent();
      if (!retired
          && !withManifest
          && store().stat(root.resolve(BackupRepository.STARTED_MARKER)).isEmpty()) {
        continue; // not a backup (a node prefix, in a store that holds both)
      }
      Optional<BackupManifest> manifest = Optional.empty();
      if (withManifest) {
        try {
          manifest = repository.readManifest(BackupId.of(id), ManifestFormat.DEFAULT_MAX_OBJECTS);
        } catch (ObjectNotFoundException e) {
          manifest = Optional.empty(); // deleted since it was seen (a prune): listed by its root
        } catch (IOException e) {
          if (!unreadable(e)) {
            throw e;
          }
          // Not incomplete: the backup may be complete, written by a newer influxbak, too large
          // for this heap, or stored where it cannot be read (not a regular file, no permission),
          // and may reference objects of other backups.
          summaries.add(
              listedSummary(id, root, BackupSummary.State.UNREADABLE, Optional.of(e.getMessage())));
          continue;
        }
      }
      if (manifest.isPresent()) {
        BackupManifest m = manifest.get();
        Optional<String> broken = ReuseHolders.broken(store(), m);
        summaries.add(
            new BackupSummary(
                id,
                Optional.of(m.createdAt()),
                Optional.of(m.product()),
                m.nodes(),
                m.entries().size(),
                m.byteCount(),
                broken.isPresent() ? BackupSummary.State.BROKEN : BackupSummary.State.COMPLETE,
                broken.or(() -> sourceProblem(m)),
                lockOf(root.resolve(ManifestFormat.FILE_NAME))));
        continue;
      }
      summaries.add(
          listedSummary(
              id,
              root,
              retired ? BackupSummary.State.RETIRED : BackupSummary.State.INCOMPLETE,
              Optional.empty()));
    }
    return ImmutableList.copyOf(summaries);
  }

  private static Optional<String> sourceProblem(BackupManifest m) {
    return m.sourceHasErrors()
        ? Optional.of(
            "the source was INCONSISTENT when it was taken: "
                + SourceFinding.errors(m.sourceFindings().orElseThrow())
                + " error(s); see check --backup-id")
        : Optional.empty();
  }

  /** A backup without a readable manifest, summarised from what its root holds. */
  private BackupSummary listedSummary(
      String id, KeyPrefix root, BackupSummary.State state, Optional<String> problem)
      throws IOException {
    long objects = 0;
    long bytes = 0;
    TreeSet<NodeId> nodes = new TreeSet<>();
    try (ObjectIterator listing = store().list(root)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        String rest = info.key().relativeTo(root);
        if (rest.contains("/") && !BackupRepository.isRecord(rest)) {
          objects++;
          bytes += info.size();
          nodes.add(NodeId.of(rest.substring(0, rest.indexOf('/'))));
        }
      }
    }
    return new BackupSummary(
        id,
        Optional.empty(),
        Optional.empty(),
        ImmutableList.copyOf(nodes),
        objects,
        bytes,
        state,
        problem,
        lockOf(root.resolve(BackupRepository.STARTED_MARKER)));
  }

  /** The lock on {@code key}; empty if none, if it is gone, or if the store has no locks. */
  private Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    if (!store().capabilities().objectLocks()) {
      return Optional.empty();
    }
    try {
      return store().lockOf(key);
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a failure to read a manifest that exists says it does not read here (another format,
   * too many objects, malformed, not a regular file, no permission), rather than that the store
   * failed for the moment.
   */
  private static boolean unreadable(IOException failure) {
    return failure instanceof ManifestException || !RetryPolicy.isTransient(failure);
  }
}
