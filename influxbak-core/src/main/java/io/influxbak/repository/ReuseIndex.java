package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ReusableCopies;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a backup may keep without copying: the objects its own journal records as copied and
 * verified (when it resumes an interrupted run), and the objects of its parent, the newest complete
 * backup of the same nodes in the destination (when it is incremental).
 *
 * <p>InfluxDB never writes different bytes under a name it has used for a WAL file, a snapshot file
 * or a Parquet file: for those kinds the same key and size is the same object, and the earlier copy
 * was hashed when it was made. So a journal entry, and by default a parent entry, of such a kind is
 * reused on key and size alone: an unchanged source costs a listing and no data requests. Objects
 * the server rewrites in place (the catalog checkpoint, table indexes, the conversion marker,
 * unknown objects) are reused only when their hash matches now, and so is every parent entry when
 * the backup asks for reused content to be verified: the source store's native CRC32C when it keeps
 * one (no data read), else a hash of the source's bytes (read, not written).
 */
public final class ReuseIndex implements ReusableCopies {
  private final Map<ObjectKey, ManifestEntry> journal;
  private final Set<ObjectKey> keptFromJournal = ConcurrentHashMap.newKeySet();
  private final Optional<String> parentId;
  private final Map<ObjectKey, ManifestEntry> parent;
  private final boolean verifyContent;

  /**
   * @param journal what an interrupted run of this backup copied, by node key
   * @param parentId the backup whose manifest {@code parent} is
   * @param parent the parent's entries, by node key
   * @param verifyContent whether parent entries of kinds the server never rewrites are also checked
   *     by hash
   */
  public ReuseIndex(
      Map<ObjectKey, ManifestEntry> journal,
      Optional<String> parentId,
      Map<ObjectKey, ManifestEntry> parent,
      boolean verifyContent) {
    requireNonNull(journal, "journal is null");
    requireNonNull(parentId, "parentId is null");
    requireNonNull(parent, "parent is null");
    this.journal = journal;
    this.parentId = parentId;
    this.parent = parent;
    this.verifyContent = verifyContent;
  }

  /**
   * Whether no journalled object of an interrupted run was itself reused (so every reuse came from
   * the parent).
   */
  public boolean journalReusesNothing() {
    return journal.values().stream().noneMatch(ManifestEntry::reused);
  }

  /** The keys kept as the interrupted run's journal records them, so far (not copied again). */
  public Set<ObjectKey> keptFromJournal() {
    return Set.copyOf(keptFromJournal);
  }

  /** The parent backup, if the backup is incremental and one exists. */
  public Optional<String> parentId() {
    return parentId;
  }

  /**
   * What {@code step} can keep without a copy, if anything.
   *
   * @param source the store the step reads
   * @param sourceKey the key the step reads
   * @param currentSize the source's size now (the planned size for kinds the server never rewrites)
   */
  @Override
  public Optional<ManifestEntry> find(
      CopyStep step, ObjectStore source, ObjectKey sourceKey, long currentSize, Hashes hashes)
      throws IOException {
    ManifestEntry recorded = journal.get(step.key());
    if (recorded != null && recorded.size() == currentSize && !step.kind().rewrittenInPlace()) {
      keptFromJournal.add(step.key());
      return Optional.of(recorded);
    }
    ManifestEntry earlier = parent.get(step.key());
    if (earlier == null
        || earlier.size() != currentSize
        || earlier.kind() != step.kind()
        || earlier.crc32c().isEmpty()) {
      return Optional.empty();
    }
    boolean immutable = !step.kind().rewrittenInPlace();
    if ((verifyContent || !immutable) && !sameBytes(earlier, source, sourceKey, hashes)) {
      return Optional.empty();
    }
    if (earlier.reused() && earlier.phase() == step.phase()) {
      // It names the backup holding its bytes already: the entry is this run's as it is, and an
      // unchanged incremental of a million objects makes no million copies of its parent's.
      return Optional.of(earlier);
    }
    return Optional.of(
        new ManifestEntry(
            step.key(),
            step.kind(),
            step.phase(),
            earlier.size(),
            earlier.crc32c(),
            earlier.sha256(),
            earlier.stored().reusedFrom(parentId.orElseThrow())));
  }

  private static boolean sameBytes(
      ManifestEntry earlier, ObjectStore source, ObjectKey sourceKey, Hashes hashes)
      throws IOException {
    if (source.capabilities().statChecksums().contains(ChecksumAlgorithm.CRC32C)) {
      Optional<ObjectInfo> info = source.stat(sourceKey);
      if (info.isEmpty()) {
        throw new ObjectNotFoundException(source.id(), sourceKey);
      }
      Optional<Checksum> crc32c = info.get().checksum(ChecksumAlgorithm.CRC32C);
      if (crc32c.isPresent()) {
        return info.get().size() == earlier.size() && crc32c.equals(earlier.crc32c());
      }
    }
    Hashes wanted = earlier.sha256().isPresent() ? Hashes.CRC32C_AND_SHA256 : hashes;
    try (HashingInputStream in =
        new HashingInputStream(source.open(sourceKey), sourceKey, wanted, Optional.empty())) {
      in.transferTo(OutputStream.nullOutputStream());
      return in.count() == earlier.size()
          && earlier.crc32c().equals(Optional.of(in.crc32c()))
          && (earlier.sha256().isEmpty() || earlier.sha256().equals(in.sha256()));
    }
  }
}
