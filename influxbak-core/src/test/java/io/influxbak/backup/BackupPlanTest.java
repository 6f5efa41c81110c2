package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupNotFoundException;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.CopyThreadDiedException;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferFailedException;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-store form, reports, and every bad input the issue names. */
class BackupPlanTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:15:00Z"), ZoneOffset.UTC);

  private final GeneratedNode node =
      CoreNodeArbitraries.build(
          NodeId.of("node0"),
          2,
          2,
          4,
          3,
          List.of(CatalogGeneration.V1, CatalogGeneration.V2),
          2,
          7);
  private final InMemoryObjectStore store = new InMemoryObjectStore();

  BackupPlanTest() throws IOException {
    node.writeTo(store);
  }

  @Test
  void execute_oneStore_backsUpUnderTimestampedBackupIdServerSide() throws IOException {
    TrackingObjectStore tracking = new TrackingObjectStore(store);

    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder()
                    .transfer(TransferSettings.builder().clock(CLOCK).build())
                    .build())
            .execute(tracking);

    assertThat(result.backupId()).isEqualTo("backup-20261124-101500");
    assertThat(result.backupRoot().toString()).isEqualTo("backup-20261124-101500/");
    assertThat(result.objects())
        .allSatisfy(o -> assertThat(o.key().toString()).startsWith("node0/"));
    assertThat(result.objects())
        .allSatisfy(
            o ->
                assertThat(store.stat(result.backupRoot().resolve(o.key())))
                    .as(o.key().toString())
                    .isPresent());
    assertThat(store.stat(ObjectKey.of("backup-20261124-101500/node0/_catalog_checkpoint")))
        .isPresent();
    // The in-memory store keeps native CRC32C, so same-store copies are server-side: the source
    // objects read are the snapshot, table-index and marker files the pin is computed from, and
    // the backup's own objects read are those the consistency check of what it copied reads (no
    // Parquet file: the check compares their sizes with the snapshots').
    java.util.Set<ObjectKind> pinning =
        java.util.Set.of(
            ObjectKind.SNAPSHOT, ObjectKind.TABLE_INDEX, ObjectKind.TABLE_INDEX_CONVERSION_MARKER);
    assertThat(tracking.opened())
        .filteredOn(key -> key.isUnder(KeyPrefix.of("node0")))
        .allSatisfy(key -> assertThat(node.objects().get(key).kind()).isIn(pinning));
    assertThat(tracking.opened())
        .filteredOn(key -> key.isUnder(result.backupRoot()))
        .isNotEmpty()
        .allSatisfy(
            key ->
                assertThat(
                        node.objects()
                            .get(ObjectKey.of(key.relativeTo(result.backupRoot())))
                            .kind())
                    .isNotEqualTo(ObjectKind.PARQUET));
    assertThat(result.objects()).allSatisfy(o -> assertThat(o.crc32c()).isPresent());
    assertThat(result.phases())
        .extracting(PhaseResult::phase)
        .containsExactlyElementsOf(CopyOrder.CORE_BACKUP.phases());
    assertThat(result.phases().stream().mapToLong(PhaseResult::objects).sum())
        .isEqualTo(result.objectCount());
  }

  @Test
  void execute_twoStores_hashesWhileStreamingAndLeavesSourceUnchanged() throws IOException {
    InMemoryObjectStore destination = new InMemoryObjectStore();
    int before = store.size();

    BackupResult result = BackupPlan.core("node0").execute(store, destination);

    assertThat(store.size()).isEqualTo(before);
    node.objects()
        .forEach(
            (key, object) ->
                assertThat(store.bytes(key))
                    .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(object.bytes())));
    assertThat(result.objects())
        .allSatisfy(
            o -> {
              assertThat(o.sha256()).isPresent();
              assertThat(
                      destination
                          .stat(result.backupRoot().resolve(o.key()))
                          .orElseThrow()
                          .checksum(o.crc32c().orElseThrow().algorithm()))
                  .isEqualTo(o.crc32c());
            });
  }

  @Test
  void execute_withoutSha256_computesCrc32cOnly() throws IOException {
    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().withoutSha256().build())
            .execute(store, new InMemoryObjectStore());
    assertThat(result.objects())
        .allSatisfy(
            o -> {
              assertThat(o.sha256()).isEmpty();
              assertThat(o.crc32c()).isPresent();
            });
  }

  @Test
  void execute_progressListener_hearsEveryPhaseAndObjectEvenIfItThrows() throws IOException {
    java.util.List<CopyPhase> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<CopyPhase> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicLong objects = new java.util.concurrent.atomic.AtomicLong();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void phaseStarted(CopyPhase phase, long count, long bytes) {
            started.add(phase);
          }

          @Override
          public void objectCopied(ManifestEntry object) {
            objects.incrementAndGet();
            throw new IllegalStateException("a broken progress bar must not break the backup");
          }

          @Override
          public void phaseCompleted(PhaseResult result) {
            completed.add(result.phase());
          }
        };

    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder()
                    .transfer(TransferSettings.builder().progress(listener).build())
                    .build())
            .execute(store, new InMemoryObjectStore());

    assertThat(started).containsExactlyElementsOf(CopyOrder.CORE_BACKUP.phases());
    assertThat(completed).containsExactlyElementsOf(CopyOrder.CORE_BACKUP.phases());
    assertThat(objects.get()).isEqualTo(result.objectCount());
  }

  @Test
  void execute_missingNodePrefix_nodeNotFoundNamingPrefix() {
    assertThatThrownBy(() -> BackupPlan.core("node9").execute(store, new InMemoryObjectStore()))
        .isInstanceOf(NodeNotFoundException.class)
        .hasMessageContaining("node9/");
  }

  @Test
  void execute_emptySource_nodeNotFound() {
    assertThatThrownBy(
            () ->
                BackupPlan.core("node0")
                    .execute(new InMemoryObjectStore(), new InMemoryObjectStore()))
        .isInstanceOf(NodeNotFoundException.class)
        .hasMessageContaining("node0/");
  }

  @Test
  void core_invalidNodeId_invalidKeyNamingIt() {
    assertThatThrownBy(() -> BackupPlan.core("../etc"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("../etc");
    assertThatThrownBy(() -> BackupOptions.builder().backupId("a/b"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> RestorePlan.of(""))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void execute_nonEmptyDestination_refusedListingWhatIsThereAndWritesNothing() throws IOException {
    InMemoryObjectStore destination = new InMemoryObjectStore();
    ObjectKey existing = ObjectKey.of("backup-x/node0/wal/00000000001.wal");
    destination.write(existing, ObjectContent.ofBytes(new byte[] {1}), WriteMode.CREATE_NEW);

    assertThatThrownBy(
            () ->
                BackupPlan.core("node0")
                    .withOptions(BackupOptions.builder().backupId("backup-x").build())
                    .execute(store, destination))
        .isInstanceOf(DestinationNotEmptyException.class)
        .hasMessageContaining("backup-x/")
        .hasMessageContaining(existing.toString());
    assertThat(destination.size()).isEqualTo(1);
  }

  @Test
  void execute_unreadableObject_failsNamingKeyAndStopsBeforeNextPhase() throws IOException {
    ObjectKey unreadable = node.keysOf(java.util.Set.of(ObjectKind.WAL)).iterator().next();
    ObjectStore denying =
        failingToOpen(
            unreadable,
            key -> {
              throw new AccessDeniedException(key.toString(), null, "permission denied");
            });
    InMemoryObjectStore destination = new InMemoryObjectStore();

    assertThatThrownBy(() -> backUp(denying, destination))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(unreadable.toString())
        .hasMessageContaining("permission denied")
        .satisfies(e -> assertThat(((TransferFailedException) e).phase()).isEqualTo(CopyPhase.WAL));
    // No catalog object was copied: the catalog phases never started.
    assertThat(destination.stat(ObjectKey.of("b/node0/catalog/v2/snapshot"))).isEmpty();
    assertThat(destination.stat(ObjectKey.of("b/node0/_catalog_checkpoint"))).isEmpty();
  }

  /**
   * A copy thread that ends with an {@link Error} fails the backup naming the object. It once left
   * the object out without a word: the backup completed without it, and its check took the gap for
   * a file already absent at the source.
   */
  @Test
  void execute_copyThreadEndingWithAnError_failsNamingTheObject_withNoManifest()
      throws IOException {
    ObjectKey doomed = node.keysOf(java.util.Set.of(ObjectKind.PARQUET)).iterator().next();
    ObjectStore dying =
        failingToOpen(
            doomed,
            key -> {
              throw new AssertionError("simulated death of a copy thread");
            });
    InMemoryObjectStore destination = new InMemoryObjectStore();

    assertThatThrownBy(() -> backUp(dying, destination))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(doomed.toString())
        .hasMessageContaining("simulated death of a copy thread")
        .satisfies(
            e ->
                assertThat(((TransferFailedException) e).failures())
                    .singleElement()
                    .satisfies(
                        f -> assertThat(f.cause()).isInstanceOf(CopyThreadDiedException.class)));
    assertThat(destination.stat(ObjectKey.of("b/manifest.json"))).isEmpty();
  }

  /** How opening one object fails. */
  @FunctionalInterface
  private interface OpenFailure {
    void fail(ObjectKey key) throws IOException;
  }

  /** The node's store, except that opening {@code failing} fails as {@code failure} says. */
  private ObjectStore failingToOpen(ObjectKey failing, OpenFailure failure) {
    return new ForwardingObjectStore(store) {
      @Override
      public InputStream open(ObjectKey key) throws IOException {
        if (key.equals(failing)) {
          failure.fail(key);
        }
        return super.open(key);
      }
    };
  }

  private static BackupResult backUp(ObjectStore source, ObjectStore destination)
      throws IOException {
    return BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(source, destination);
  }

  @Test
  void execute_walDeletedByServerAfterListing_reportedAsVanished() throws IOException {
    ObjectKey deleted = node.keysOf(java.util.Set.of(ObjectKind.WAL)).iterator().next();
    ForwardingObjectStore deleting =
        new ForwardingObjectStore(store) {
          @Override
          public io.influxbak.store.ObjectIterator list(io.influxbak.store.KeyPrefix prefix)
              throws IOException {
            io.influxbak.store.ObjectIterator listing = super.list(prefix);
            return new io.influxbak.store.testing.MappedListing(
                listing,
                listed -> {
                  if (listed.key().equals(deleted)) {
                    store.delete(deleted); // the server deletes a snapshotted WAL file we listed
                  }
                  return listed;
                });
          }
        };

    BackupResult result = BackupPlan.core("node0").execute(deleting, new InMemoryObjectStore());

    assertThat(result.reported())
        .anySatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(deleted);
              assertThat(r.disposition()).isEqualTo(ReportedObject.Disposition.VANISHED);
            });
    assertThat(result.objects()).noneMatch(o -> o.key().equals(deleted));
  }

  @Test
  void execute_includeTableSnapshots_copiesThem() throws IOException {
    GeneratedNode withTableSnapshots =
        CoreNodeArbitraries.build(NodeId.of("n1"), 1, 1, 2, 1, List.of(CatalogGeneration.V3), 0, 3);
    InMemoryObjectStore source = new InMemoryObjectStore();
    withTableSnapshots.writeTo(source);
    java.util.Set<ObjectKey> tableSnapshots =
        withTableSnapshots.keysOf(java.util.Set.of(ObjectKind.TABLE_SNAPSHOT));

    BackupResult result =
        BackupPlan.core("n1")
            .withOptions(BackupOptions.builder().includeTableSnapshots().build())
            .execute(source, new InMemoryObjectStore());

    assertThat(result.objects().stream().map(ManifestEntry::key).toList())
        .containsAll(tableSnapshots);
  }

  @Test
  void restore_nonEmptyTargetNodePrefix_refusedAndNothingWritten() throws IOException {
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupResult backup = BackupPlan.core("node0").execute(store, backups);
    InMemoryObjectStore target = new InMemoryObjectStore();
    ObjectKey leftover = ObjectKey.of("node0/wal/00000000099.wal");
    target.write(leftover, ObjectContent.ofBytes(new byte[] {9}), WriteMode.CREATE_NEW);

    assertThatThrownBy(() -> RestorePlan.of(backup.backupId()).execute(backups, target))
        .isInstanceOf(DestinationNotEmptyException.class)
        .hasMessageContaining("node0/")
        .hasMessageContaining(leftover.toString());
    assertThat(target.size()).isEqualTo(1);
  }

  @Test
  void restore_unknownBackup_backupNotFoundNamingIt() {
    assertThatThrownBy(
            () -> RestorePlan.of("backup-none").execute(store, new InMemoryObjectStore()))
        .isInstanceOf(BackupNotFoundException.class)
        .hasMessageContaining("backup-none/");
  }
}
