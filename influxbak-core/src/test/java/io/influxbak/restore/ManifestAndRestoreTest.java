package io.influxbak.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSet;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.Finding;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.EnterpriseClusterArbitraries;
import io.influxbak.layout.testing.GeneratedCluster;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.Product;
import io.influxbak.manifest.UnsupportedManifestVersionException;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.repository.IncompleteBackupException;
import io.influxbak.store.Checksum;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.MappedListing;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferFailedException;
import io.influxbak.transfer.TransferSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The manifest, and restores driven by it, including tampered and incomplete backups. */
class ManifestAndRestoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RestoreOptions NO_RETRY =
      RestoreOptions.builder()
          .transfer(TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build())
          .build();

  private final GeneratedNode node =
      CoreNodeArbitraries.build(
          NodeId.of("node0"), 2, 2, 4, 3, List.of(CatalogGeneration.V2), 1, 11);
  private final InMemoryObjectStore source = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();
  private final BackupResult backup;

  ManifestAndRestoreTest() throws IOException {
    node.writeTo(source);
    backup =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(source, backups);
  }

  @Property(tries = 40)
  void manifest_roundTripsEveryCopiedObject(@ForAll("nodes") GeneratedNode generated)
      throws IOException {
    InMemoryObjectStore from = new InMemoryObjectStore();
    generated.writeTo(from);
    InMemoryObjectStore to = new InMemoryObjectStore();
    BackupResult result =
        BackupPlan.core(generated.node())
            .withOptions(BackupOptions.builder().backupId("p").build())
            .execute(from, to);

    BackupManifest manifest =
        BackupRepository.of(to).readManifest(BackupId.of("p"), 1000).orElseThrow();

    assertThat(manifest.formatVersion())
        .isEqualTo(1); // nothing reused or compressed: readable by every release
    assertThat(manifest.nodes()).containsExactly(generated.node());
    assertThat(manifest.source()).isEqualTo(from.id().toString());
    assertThat(manifest.entries()).hasSize(result.objects().size());
    for (ManifestEntry copied : result.objects()) {
      ManifestEntry entry = manifest.entry(copied.key()).orElseThrow();
      assertThat(entry.size()).isEqualTo(copied.size());
      assertThat(entry.crc32c()).isEqualTo(copied.crc32c());
      assertThat(entry.sha256()).isEqualTo(copied.sha256());
      assertThat(entry.kind()).isEqualTo(copied.kind());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, out);
    assertThat(ManifestFormat.read(new ByteArrayInputStream(out.toByteArray()), "again", 1000))
        .isEqualTo(manifest);
  }

  @Test
  void manifest_containsNoSecrets() throws IOException {
    String text =
        new String(
            backups.bytes(ObjectKey.of("b/manifest.json")).orElseThrow(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("\"formatVersion\" : 1")
        .contains("\"product\" : \"core\"")
        .doesNotContainIgnoringCase("secret")
        .doesNotContain("sig=");
  }

  @Test
  void restore_tamperedSize_stopsNamingObjectAndPublishesNothingWrong() throws IOException {
    String victim = firstKeyOf(ObjectKind.PARQUET);
    tamper(
        objects ->
            find(objects, victim).put("size", find(objects, victim).get("size").asLong() + 1));
    TrackingObjectStore target = new TrackingObjectStore(new InMemoryObjectStore());

    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining(victim);
    assertThat(target.completedWrites()).as("checked before the first write").isEmpty();
  }

  @Test
  void restore_tamperedHash_stopsNamingObject() throws IOException {
    String victim = firstKeyOf(ObjectKind.SNAPSHOT);
    tamper(objects -> find(objects, victim).put("sha256", "00".repeat(32)));
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(victim)
        .hasMessageContaining("SHA-256");
    assertThat(target.stat(ObjectKey.of(victim))).isEmpty();
  }

  @Test
  void manifest_unsafeDuplicateOrForeignKeys_rejectedTyped() throws IOException {
    assertRejected(
        objects -> find(objects, firstKeyOf(ObjectKind.WAL)).put("key", "node0/../etc/passwd"),
        "unsafe object key");
    assertRejected(
        objects ->
            find(objects, firstKeyOf(ObjectKind.WAL)).put("key", "/node0/wal/00000000001.wal"),
        "unsafe object key");
    assertRejected(
        objects -> objects.add(find(objects, firstKeyOf(ObjectKind.WAL)).deepCopy()),
        "listed twice");
    assertRejected(
        objects ->
            find(objects, firstKeyOf(ObjectKind.WAL)).put("key", "other-node/wal/00000000001.wal"),
        "outside the backup's node");
    assertRejected(
        objects -> find(objects, firstKeyOf(ObjectKind.WAL)).put("kind", "SNAPSHOT"),
        "does not copy");
  }

  @Test
  void manifest_namingTenMillionObjects_refusedWhileStreamingAtTheLimit() {
    // About 1.3 GB of JSON, generated as it is read: the reader must stop at the limit, not load it
    // all.
    long objects = 10_000_000;
    java.io.InputStream hostile =
        new java.io.SequenceInputStream(
            new java.io.ByteArrayInputStream(
                "{\"formatVersion\": 1, \"backupId\": \"b\", \"createdAt\": \"2026-11-24T00:00:00Z\", \"product\": \"core\", \"nodes\": [\"node0\"], \"source\": \"x\", \"objects\": ["
                    .getBytes(StandardCharsets.UTF_8)),
            new java.io.InputStream() {
              private long written;
              private byte[] current = new byte[0];
              private int at;

              @Override
              public int read() {
                if (at == current.length) {
                  if (written == objects) {
                    return -1;
                  }
                  current =
                      ((written == 0 ? "" : ",")
                              + "{\"key\": \"node0/wal/"
                              + String.format("%011d", ++written)
                              + ".wal\", \"kind\": \"WAL\", \"phase\": \"WAL\", \"size\": 1}")
                          .getBytes(StandardCharsets.UTF_8);
                  at = 0;
                }
                return current[at++];
              }
            });

    assertThatThrownBy(() -> ManifestFormat.read(hostile, "b/manifest.json", 100_000))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("b/manifest.json")
        .hasMessageContaining("more than 100000 objects");
    assertThat(ManifestFormat.DEFAULT_MAX_OBJECTS)
        .isLessThanOrEqualTo((int) Math.min(20_000_000L, Runtime.getRuntime().maxMemory() / 400));
  }

  @Test
  void manifest_newerFormatVersion_unsupportedTyped() throws IOException {
    rewriteManifest(root -> root.put("formatVersion", ManifestFormat.CURRENT_VERSION + 1));
    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(UnsupportedManifestVersionException.class)
        .hasMessageContaining("b/manifest.json")
        .hasMessageContaining("formatVersion " + (ManifestFormat.CURRENT_VERSION + 1));
  }

  @Test
  void manifest_malformedJson_rejectedTyped() throws IOException {
    backups.write(
        ObjectKey.of("b/manifest.json"),
        ObjectContent.ofBytes(
            "{\"formatVersion\": 1, \"objects\": [".getBytes(StandardCharsets.UTF_8)),
        WriteMode.REPLACE);
    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void manifest_moreObjectsThanTheLimit_rejectedTyped() {
    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .withOptions(RestoreOptions.builder().maxManifestObjects(3).build())
                    .execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("more than 3 objects");
  }

  /**
   * A restore that stops midway leaves its marker: the node checks as "restore incomplete", a rerun
   * is refused with the reason, and a rerun with replaceExisting redoes it completely.
   */
  @Test
  void restore_stoppedMidway_markerReportedRefusedThenRedoneWithReplace() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    restoreCrashingAtChange(target, 5);
    assertThat(target.stat(node.node().prefix().resolve(ConsistencyCheck.RESTORE_MARKER)))
        .isPresent();
    assertThat(
            ConsistencyCheck.check(
                    target, KeyPrefix.ROOT, node.node(), ConsistencyCheck.Source.LIVE)
                .findings())
        .anySatisfy(
            f -> {
              assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
              assertThat(f.reason()).startsWith("restore incomplete");
            });
    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target))
        .hasMessageContaining("an earlier restore there did not complete")
        .hasMessageContaining("--replace");

    RestoreResult redone =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().replaceExisting().build())
            .execute(backups, target);

    assertThat(redone.consistent()).isTrue();
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
        .noneMatch(k -> k.name().equals(ConsistencyCheck.RESTORE_MARKER));
    assertHoldsTheBackupsBytes(target);
  }

  /** A stopped restore resumed: keeps what it restored, copies the rest, ends byte for byte. */
  @Test
  void restore_stoppedMidway_resumedCopiesOnlyWhatIsMissing() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .withOptions(RestoreOptions.builder().resume().build())
                    .execute(backups, target))
        .hasMessageContaining("no restore there was interrupted");
    restoreCrashingAtChange(target, 8);
    long before = StoreKeys.under(target, node.node().prefix()).size() - 1; // less the marker
    assertThat(before).as("objects the stopped restore wrote").isPositive();

    RestoreResult resumed =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().resume().build())
            .execute(backups, target);

    long total =
        BackupRepository.of(backups)
            .readManifest(BackupId.of("b"), 1000)
            .orElseThrow()
            .entries()
            .size();
    assertThat(resumed.objects()).as("copied again").hasSize((int) (total - before));
    assertThat(resumed.consistent()).isTrue();
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).hasSize((int) total);
    assertHoldsTheBackupsBytes(target);
  }

  /**
   * An object a stopped restore left with the right size but other bytes (changed since) is copied
   * again by the resume: its CRC32C differs from the backup's.
   */
  @Test
  void restore_resumed_recopiesAnObjectWhoseContentChangedSinceTheStop() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    restoreCrashingAtChange(target, 8);
    ObjectKey changed =
        StoreKeys.under(target, node.node().prefix()).stream()
            .filter(k -> !k.name().equals(ConsistencyCheck.RESTORE_MARKER))
            .findFirst()
            .orElseThrow();
    byte[] bytes = target.bytes(changed).orElseThrow();
    bytes[0] ^= 1;
    target.write(changed, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);

    RestoreResult resumed =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().resume().build())
            .execute(backups, target);

    assertThat(resumed.objects()).anySatisfy(o -> assertThat(o.key()).isEqualTo(changed));
    assertHoldsTheBackupsBytes(target);
  }

  /** Restores b into {@code target}, the process crashing at the target's {@code n}-th change. */
  private void restoreCrashingAtChange(InMemoryObjectStore target, long n) throws IOException {
    io.influxbak.store.testing.CrashingObjectStore crashing =
        new io.influxbak.store.testing.CrashingObjectStore(target, n);
    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, crashing))
        .hasStackTraceContaining("CrashException");
    // the crashed run's lease stays, as a killed process's does: broken as an operator would
    assertThat(io.influxbak.store.testing.CrashingObjectStore.breakLeases(target)).isEqualTo(1);
  }

  /** Every object of {@code target} holds the bytes backup b holds for it. */
  private void assertHoldsTheBackupsBytes(InMemoryObjectStore target) throws IOException {
    for (ObjectKey key : StoreKeys.under(target, KeyPrefix.ROOT)) {
      byte[] backedUp = backups.bytes(ObjectKey.of("b/" + key)).orElseThrow();
      assertThat(target.bytes(key))
          .as(key.toString())
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(backedUp));
    }
  }

  @Test
  void restore_objectMissingFromBackup_failsNamingIt() throws IOException {
    String victim = firstKeyOf(ObjectKind.WAL);
    backups.delete(ObjectKey.of("b/" + victim));
    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .withOptions(NO_RETRY)
                    .execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining(victim + " (missing)")
        .hasMessageContaining("nothing was written");
  }

  @Test
  void restore_objectTruncatedInBackup_failsNamingIt() throws IOException {
    String victim = firstKeyOf(ObjectKind.PARQUET);
    byte[] whole = backups.bytes(ObjectKey.of("b/" + victim)).orElseThrow();
    backups.write(
        ObjectKey.of("b/" + victim),
        ObjectContent.ofBytes(java.util.Arrays.copyOf(whole, whole.length / 2)),
        WriteMode.REPLACE);
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining(victim)
        .hasMessageContaining("the manifest says " + whole.length);
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).as("nothing written").isEmpty();
  }

  /** Same size, other bytes: the store's CRC32C gives it away before anything is written. */
  @Test
  void restore_objectOverwrittenSameSizeInBackup_refusedByItsCrc32c() throws IOException {
    String victim = firstKeyOf(ObjectKind.PARQUET);
    byte[] whole = backups.bytes(ObjectKey.of("b/" + victim)).orElseThrow();
    byte[] changed = whole.clone();
    changed[changed.length / 2] ^= 1;
    backups.write(ObjectKey.of("b/" + victim), ObjectContent.ofBytes(changed), WriteMode.REPLACE);
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining(victim + " (CRC32C differs from the manifest's)");
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).as("nothing written").isEmpty();
  }

  /** An incremental backup whose holder was deleted by hand: refused, naming the holder. */
  @Test
  void restore_holderOfReusedObjectsDeleted_refusedNamingIt() throws IOException {
    BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().backupId("c").build())
        .execute(source, backups);
    for (ObjectKey key : StoreKeys.under(backups, KeyPrefix.of("b"))) {
      backups.delete(key);
    }
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> RestorePlan.of("c").withOptions(NO_RETRY).execute(backups, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining("(missing: backup b, which holds it, is gone)");
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).as("nothing written").isEmpty();
  }

  @Test
  void restore_backupWithoutManifest_refusedUnlessAllowed() throws IOException {
    backups.delete(ObjectKey.of("b/manifest.json"));

    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(IncompleteBackupException.class)
        .hasMessageContaining("b/")
        .hasMessageContaining("no manifest");
    RestoreResult allowed =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().allowIncomplete().build())
            .execute(backups, new InMemoryObjectStore());
    assertThat(allowed.objectCount()).isEqualTo(backup.objectCount());
  }

  @Test
  void list_showsCompleteAndIncompleteBackups() throws IOException {
    BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().backupId("c").full().build())
        .execute(source, backups);
    backups.delete(ObjectKey.of("c/manifest.json"));

    List<BackupSummary> listed = BackupRepository.of(backups).list();

    assertThat(listed)
        .extracting(BackupSummary::backupId, BackupSummary::complete)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", true),
            org.assertj.core.groups.Tuple.tuple("c", false));
    BackupSummary complete = listed.get(0);
    assertThat(complete.objects()).isEqualTo(backup.objectCount());
    assertThat(complete.bytes()).isEqualTo(backup.byteCount());
    assertThat(complete.nodes()).containsExactly(NodeId.of("node0"));
    assertThat(complete.product()).contains(Product.CORE);
    assertThat(listed.get(1).objects()).isEqualTo(backup.objectCount());
  }

  @Test
  void preview_listsRestoreOrderAndWritesNothing() throws IOException {
    TrackingObjectStore target = new TrackingObjectStore(new InMemoryObjectStore());

    RestorePreview preview = RestorePlan.of("b").preview(backups, target);

    assertThat(preview.complete()).isTrue();
    assertThat(preview.steps()).hasSize((int) backup.objectCount());
    assertThat(preview.byteCount()).isEqualTo(backup.byteCount());
    List<Integer> order =
        preview.steps().stream().map(s -> CopyOrder.CORE_RESTORE.indexOf(s.phase())).toList();
    assertThat(order).isSorted();
    assertThat(target.calls(TrackingObjectStore.Operation.WRITE)).isZero();
    assertThat(preview.existing()).isEmpty();
  }

  @Test
  void restore_replaceExisting_replacesNodeAndTouchesNothingElse() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    ObjectKey newerWal = ObjectKey.of("node0/wal/00000099999.wal");
    ObjectKey otherNode = ObjectKey.of("node1/wal/00000000001.wal");
    target.write(newerWal, ObjectContent.ofBytes(new byte[] {1}), WriteMode.CREATE_NEW);
    target.write(otherNode, ObjectContent.ofBytes(new byte[] {2}), WriteMode.CREATE_NEW);
    // A key the backup holds too, with other bytes: replaced by the backup's.
    ObjectKey sameKey = ObjectKey.of(firstKeyOf(ObjectKind.WAL));
    target.write(sameKey, ObjectContent.ofBytes(new byte[] {3}), WriteMode.CREATE_NEW);

    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, target))
        .isInstanceOf(io.influxbak.repository.DestinationNotEmptyException.class)
        .hasMessageContaining(newerWal.toString());
    RestoreResult result =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().replaceExisting().build())
            .execute(backups, target);

    assertThat(target.stat(newerWal)).isEmpty();
    assertThat(target.bytes(otherNode)).contains(new byte[] {2});
    assertThat(result.reported())
        .anySatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(newerWal);
              assertThat(r.disposition()).isEqualTo(ReportedObject.Disposition.DELETED);
            });
    for (ManifestEntry copied : backup.objects()) {
      assertThat(target.bytes(copied.key())).contains(node.objects().get(copied.key()).bytes());
    }
  }

  /**
   * An object another writer creates in the target while the restore runs (after the emptiness
   * check) is never overwritten: the restore stops naming it, and the writer's bytes stay.
   */
  @Test
  void restore_objectCreatedByAnotherWriterMidway_notOverwritten() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    ObjectKey snapshot = ObjectKey.of(firstKeyOf(ObjectKind.SNAPSHOT)); // restored last
    io.influxbak.store.ObjectStore racing =
        new io.influxbak.store.testing.ForwardingObjectStore(target) {
          @Override
          public io.influxbak.store.ObjectInfo write(
              ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
            // at the restore's first write of data (its lease comes before its checks)
            if (!key.isUnder(io.influxbak.lease.Leases.ROOT) && target.stat(snapshot).isEmpty()) {
              target.write(snapshot, ObjectContent.ofBytes(new byte[] {7}), WriteMode.CREATE_NEW);
            }
            return super.write(key, content, mode);
          }
        };

    assertThatThrownBy(() -> RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, racing))
        .hasMessageContaining(snapshot.toString())
        .hasStackTraceContaining("ObjectAlreadyExistsException");
    assertThat(target.bytes(snapshot)).contains(new byte[] {7});
  }

  @Test
  void enterpriseRestore_licenceOnlyWhereItCameFrom() throws IOException {
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(1, false, 1, 9);
    InMemoryObjectStore store = new InMemoryObjectStore();
    cluster.writeTo(store);
    BackupPlan.enterprise(cluster.cluster().toString())
        .nodes("data0")
        .withOptions(BackupOptions.builder().backupId("e").build())
        .execute(store);
    // Same store: the licence goes back where it was issued for, once the live cluster files are
    // gone.
    List<ObjectKey> live = new ArrayList<>();
    try (ObjectIterator listing = store.list(KeyPrefix.ROOT)) {
      while (listing.hasNext()) {
        ObjectKey key = listing.next().key();
        if (!key.isUnder(KeyPrefix.of("e"))) {
          live.add(key);
        }
      }
    }
    for (ObjectKey key : live) {
      store.delete(key);
    }
    RestorePlan.of("e").execute(store, store);
    assertThat(store.stat(cluster.cluster().prefix().resolve("commercial_license"))).isPresent();

    assertThatThrownBy(() -> RestorePlan.of("e").execute(store, new InMemoryObjectStore()))
        .isInstanceOf(LicenseRelocationException.class)
        .hasMessageContaining("commercial_license")
        .hasMessageContaining("issued for " + store.id());
  }

  private String firstKeyOf(ObjectKind kind) {
    return backup.objects().stream()
        .filter(o -> o.kind() == kind)
        .findFirst()
        .orElseThrow()
        .key()
        .toString();
  }

  private void assertRejected(Consumer<ArrayNode> change, String reason) throws IOException {
    byte[] original = backups.bytes(ObjectKey.of("b/manifest.json")).orElseThrow();
    tamper(change);
    TrackingObjectStore target = new TrackingObjectStore(new InMemoryObjectStore());
    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, target))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(reason);
    assertThat(target.calls(TrackingObjectStore.Operation.WRITE)).isZero();
    backups.write(
        ObjectKey.of("b/manifest.json"), ObjectContent.ofBytes(original), WriteMode.REPLACE);
  }

  private void tamper(Consumer<ArrayNode> change) throws IOException {
    rewriteManifest(root -> change.accept((ArrayNode) root.get("objects")));
  }

  private void rewriteManifest(Consumer<ObjectNode> change) throws IOException {
    ObjectNode root =
        (ObjectNode) JSON.readTree(backups.bytes(ObjectKey.of("b/manifest.json")).orElseThrow());
    change.accept(root);
    backups.write(
        ObjectKey.of("b/manifest.json"),
        ObjectContent.ofBytes(JSON.writeValueAsBytes(root)),
        WriteMode.REPLACE);
  }

  private static ObjectNode find(ArrayNode objects, String key) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).get("key").asText().equals(key)) {
        return (ObjectNode) objects.get(i);
      }
    }
    throw new AssertionError("no " + key);
  }

  @Provide
  Arbitrary<GeneratedNode> nodes() {
    return CoreNodeArbitraries.coreNodes();
  }

  // What a restore's copies declare to the store they write: the recorded CRC32C to a store that
  // keeps CRC32C (its service checks it), nothing to one that keeps none (a file system), whose
  // bytes the copy's own hashing has checked before their last byte reached it.

  @Test
  void restore_toStoreKeepingCrc32c_declaresEachObjectsRecordedCrc32c() throws IOException {
    DeclarationsSeen target = new DeclarationsSeen(new InMemoryObjectStore(), true);

    RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target);

    assertThat(backup.objects()).isNotEmpty();
    for (ManifestEntry entry : backup.objects()) {
      assertThat(target.declared.get(entry.key()))
          .as("declared for %s", entry.key())
          .containsExactly(entry.crc32c().orElseThrow());
    }
  }

  @Test
  void restore_toStoreKeepingNoChecksum_declaresNoneAndWritesTheSameBytes() throws IOException {
    InMemoryObjectStore written = new InMemoryObjectStore();
    DeclarationsSeen target = new DeclarationsSeen(written, false);

    RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target);

    for (ManifestEntry entry : backup.objects()) {
      assertThat(target.declared.get(entry.key())).as("declared for %s", entry.key()).isEmpty();
      assertThat(written.bytes(entry.key()).orElseThrow())
          .isEqualTo(source.bytes(entry.key()).orElseThrow());
    }
  }

  @Test
  void restore_toStoreKeepingNoChecksum_byteChangedInBackup_refusedAndNotPublished()
      throws IOException {
    ManifestEntry victim =
        backup.objects().stream()
            .filter(e -> e.kind() == ObjectKind.PARQUET)
            .findFirst()
            .orElseThrow();
    ObjectKey stored = KeyPrefix.of("b").resolve(victim.key().toString());
    byte[] changed = backups.bytes(stored).orElseThrow();
    changed[changed.length / 2] ^= 1; // the same size: only the bytes' hashes can tell
    backups.write(stored, ObjectContent.ofBytes(changed), WriteMode.REPLACE);
    // Listed without checksums (as a file system lists), so no check before the first write sees
    // it: the copy's hashing must.
    ObjectStore backupsListedPlain = new DeclarationsSeen(backups, false);
    InMemoryObjectStore written = new InMemoryObjectStore();

    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .withOptions(NO_RETRY)
                    .execute(backupsListedPlain, new DeclarationsSeen(written, false)))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(victim.key().toString())
        .hasMessageContaining("CRC32C");
    assertThat(written.stat(victim.key())).isEmpty();
  }

  /**
   * Records what each write declares; reports the wrapped store's checksums, or none at all (in its
   * capabilities, listings and stats) as a file system does.
   */
  private static final class DeclarationsSeen extends ForwardingObjectStore {
    final Map<ObjectKey, Set<Checksum>> declared = new ConcurrentHashMap<>();
    private final boolean keepsChecksums;

    DeclarationsSeen(ObjectStore delegate, boolean keepsChecksums) {
      super(delegate);
      this.keepsChecksums = keepsChecksums;
    }

    @Override
    public StoreCapabilities capabilities() {
      return keepsChecksums
          ? delegate().capabilities()
          : new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) throws IOException {
      return new MappedListing(delegate().list(prefix), this::plain);
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
      return delegate().stat(key).map(this::plain);
    }

    @Override
    public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
        throws IOException {
      declared.put(key, ImmutableSet.copyOf(content.knownChecksums()));
      return plain(delegate().write(key, content, mode));
    }

    private ObjectInfo plain(ObjectInfo info) {
      return keepsChecksums
          ? info
          : new ObjectInfo(
              info.key(), info.size(), info.lastModified(), info.etag(), ImmutableSet.of());
    }
  }
}
