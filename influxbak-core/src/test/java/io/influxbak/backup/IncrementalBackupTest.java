package io.influxbak.backup;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.ResumeNotPossibleException;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.TransferFailedException;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import io.influxbak.verify.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental backups, compressed copies and resumed backups, against a simulated server. */
class IncrementalBackupTest {
  private static final NodeId NODE = NodeId.of("node0");

  /**
   * Backup "r", one copy at a time and a journal chunk per object, so that a crash leaves a journal
   * at every point.
   */
  private static final BackupOptions JOURNALLED_OBJECT_BY_OBJECT =
      BackupOptions.builder()
          .transfer(TransferSettings.builder().parallelism(1).build())
          .backupId("r")
          .journalEvery(1)
          .build();

  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();

  private SimulatedCoreServer server(List<Step> history) throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 7);
    server.queue(history);
    server.drain();
    return server;
  }

  private BackupResult backup(String id, BackupOptions.Builder options) throws IOException {
    return BackupPlan.core(NODE).withOptions(options.backupId(id).build()).execute(live, backups);
  }

  private BackupManifest manifest(String id) throws IOException {
    return BackupRepository.of(backups).readManifest(BackupId.of(id), 1_000_000).orElseThrow();
  }

  /** Resumes {@code id} an hour on: the crashed run's lease is stale and taken over. */
  private static BackupOptions resumedAnHourOn(String id) {
    return BackupOptions.builder()
        .resume(id)
        .lease(
            io.influxbak.lease.LeaseSettings.defaults()
                .withTime(
                    java.time.Clock.offset(
                        java.time.Clock.systemUTC(), java.time.Duration.ofHours(1)),
                    io.influxbak.transfer.RetryPolicy.Sleeper.REAL))
        .build();
  }

  private static long copiedByThisBackup(BackupResult result) {
    return result.objects().stream().filter(o -> !o.reused()).count();
  }

  @Test
  void incremental_unchangedSource_copiesNoObjectAndRestoresByteForByte() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));
    TrackingObjectStore tracked = new TrackingObjectStore(backups);

    BackupResult second =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(live, tracked);

    assertThat(copiedByThisBackup(second)).isZero();
    assertThat(second.objects()).allSatisfy(o -> assertThat(o.stored().backupId()).hasValue("a"));
    // Its own root holds only its records: the start marker and the manifest (no journal chunk:
    // reuses on key and size are not journalled, a resume finds them in the parent again).
    assertThat(tracked.completedWrites())
        .containsExactly(ObjectKey.of("b/backup-started.json"), ObjectKey.of("b/manifest.json"));
    assertThat(manifest("b").formatVersion()).isEqualTo(2);
    assertThat(BackupVerifier.shallow(backups, "b").findings()).isEmpty();
    assertThat(BackupVerifier.deep(backups, "b", 4).findings()).isEmpty();
    assertRestores(backups, "b", state);
    assertRestores(backups, "a", state);
  }

  @Test
  void incremental_verifyingReusedContent_journalsWhatItVerified() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    TrackingObjectStore tracked = new TrackingObjectStore(backups);

    BackupResult second =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").verifyReusedContent().build())
            .execute(live, tracked);

    assertThat(copiedByThisBackup(second)).isZero();
    // Each reuse read the source: work a resume would redo, so the journal records it.
    assertThat(tracked.completedWrites())
        .containsExactly(
            ObjectKey.of("b/backup-started.json"),
            ObjectKey.of("b/journal/00000001.json"),
            ObjectKey.of("b/manifest.json"));
  }

  /** An incremental killed before its manifest resumes from its parent: nothing is copied. */
  @Test
  void incremental_killedBeforeItsManifest_resumesReusingTheParentAgain() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));
    // the start marker is the first change, the manifest the second: crash at the manifest
    CrashingObjectStore crashing = new CrashingObjectStore(backups, 2);
    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(BackupOptions.builder().backupId("b").build())
                    .execute(live, crashing))
        .hasStackTraceContaining("CrashException");
    assertThat(BackupRepository.of(backups).readManifest(BackupId.of("b"), 1_000_000)).isEmpty();
    assertThat(BackupRepository.of(backups).readJournal(BackupId.of("b"))).isEmpty();
    TrackingObjectStore tracked = new TrackingObjectStore(backups);

    BackupResult resumed =
        BackupPlan.core(NODE).withOptions(resumedAnHourOn("b")).execute(live, tracked);

    assertThat(copiedByThisBackup(resumed)).isZero();
    assertThat(resumed.objects()).hasSize(state.size());
    assertThat(tracked.completedWrites()).containsExactly(ObjectKey.of("b/manifest.json"));
    assertThat(BackupVerifier.shallow(backups, "b").findings()).isEmpty();
    assertRestores(backups, "b", state);
  }

  /**
   * A backup folder deleted by hand (rm -rf, as the docs' scripts rotate folders): the incremental
   * backup that reuses from it is listed BROKEN naming it, verify says where the missing objects
   * were, and a later incremental backup built on the broken one copies them afresh instead of
   * trusting its parent.
   */
  @Test
  void holderDeletedByHand_dependentListedBroken_nextIncrementalCopiesAfresh() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    backup("b", BackupOptions.builder());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("b"));
    for (ObjectKey key : io.influxbak.store.testing.StoreKeys.under(backups, KeyPrefix.of("a"))) {
      backups.delete(key);
    }

    List<io.influxbak.repository.BackupSummary> listed = BackupRepository.of(backups).list();
    assertThat(listed)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.backupId()).isEqualTo("b");
              assertThat(b.state()).isEqualTo(io.influxbak.repository.BackupSummary.State.BROKEN);
              assertThat(b.problem().orElseThrow()).contains("backup(s) a, gone from the store");
            });
    assertThat(BackupVerifier.shallow(backups, "b").findings())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.detail()).contains("reused from backup a, which is gone"));

    BackupResult third = backup("c", BackupOptions.builder());

    assertThat(third.objects())
        .as("nothing reused from the gone backup")
        .noneMatch(o -> o.stored().backupId().equals(java.util.Optional.of("a")));
    assertThat(BackupVerifier.shallow(backups, "c").passed()).isTrue();
    assertRestores(backups, "c", state);
  }

  @Test
  void incremental_unchangedSource_readsNoWalOrParquetByDefault_andHashesThemWhenAsked()
      throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    RecordingSource quick = new RecordingSource(live);
    RecordingSource strict = new RecordingSource(live);

    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(quick, backups);
    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().backupId("c").verifyReusedContent().build())
        .execute(strict, backups);

    assertThat(quick.touched)
        .as("WAL and Parquet files reused on key and size")
        .noneMatch(k -> k.contains("/wal/") || k.endsWith(".parquet"));
    assertThat(strict.touched)
        .as("checked by hash when asked")
        .anyMatch(k -> k.contains("/wal/"))
        .anyMatch(k -> k.endsWith(".parquet"));
    assertThat(manifest("b").entries())
        .allMatch(e -> e.stored().backupId().equals(java.util.Optional.of("a")));
    assertThat(manifest("c").entries())
        .allMatch(e -> e.stored().backupId().equals(java.util.Optional.of("a")));
  }

  /** A source that records which objects were opened or stat'ed (the reads a reuse check makes). */
  private static final class RecordingSource extends ForwardingObjectStore {
    final Set<String> touched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RecordingSource(InMemoryObjectStore delegate) {
      super(delegate);
    }

    @Override
    public java.io.InputStream open(ObjectKey key) throws IOException {
      touched.add(key.toString());
      return super.open(key);
    }

    @Override
    public java.util.Optional<io.influxbak.store.ObjectInfo> stat(ObjectKey key)
        throws IOException {
      touched.add(key.toString());
      return super.stat(key);
    }
  }

  @Test
  void incremental_afterServerActivity_copiesOnlyWhatChanged() throws IOException {
    SimulatedCoreServer server = server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    Set<ObjectKey> inA =
        new HashSet<>(manifest("a").entries().stream().map(ManifestEntry::key).toList());
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();

    BackupResult second = backup("b", BackupOptions.builder());

    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("b"));
    for (ManifestEntry object : second.objects()) {
      if (object.reused()) {
        assertThat(inA).contains(object.key());
      } else if (!object.kind().rewrittenInPlace()) {
        assertThat(inA)
            .as("an immutable object a already holds is not copied again: %s", object.key())
            .doesNotContain(object.key());
      }
    }
    assertThat(copiedByThisBackup(second)).isPositive();
    assertThat(second.objects().stream().filter(ManifestEntry::reused).count()).isPositive();
    assertRestores(backups, "b", state);
    assertThat(BackupVerifier.deep(backups, "b", 2).findings()).isEmpty();
  }

  @Test
  void manifestHeader_readsEverythingButTheObjects() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    BackupManifest full = manifest("a");

    List<BackupManifest> headers = BackupRepository.of(backups).completeHeaders();

    assertThat(headers)
        .singleElement()
        .satisfies(
            header -> {
              assertThat(header.entries()).isEmpty();
              assertThat(header.backupId()).isEqualTo("a");
              assertThat(header.createdAt()).isEqualTo(full.createdAt());
              assertThat(header.nodes()).isEqualTo(full.nodes());
              assertThat(header.product()).isEqualTo(full.product());
              assertThat(header.pinnedSnapshotSequence()).isEqualTo(full.pinnedSnapshotSequence());
            });
  }

  @Test
  void full_copiesEverythingAgain() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT));
    backup("a", BackupOptions.builder());

    BackupResult second = backup("b", BackupOptions.builder().full());

    assertThat(second.objects()).noneMatch(ManifestEntry::reused);
    assertThat(manifest("b").formatVersion()).isEqualTo(1);
  }

  @ParameterizedTest(name = "reused object {0}")
  @ValueSource(strings = {"deleted", "truncated"})
  void incremental_objectGoneFromTheEarlierBackup_isCopiedAfresh(String damage) throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("a", BackupOptions.builder());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));
    ObjectKey victim =
        manifest("a").entries().stream()
            .filter(e -> e.kind() == ObjectKind.WAL)
            .findFirst()
            .orElseThrow()
            .key();
    // A prune retires "a" and sweeps that object after "b" decided to reuse it, before "b"
    // completes.
    ForwardingObjectStore racing =
        new ForwardingObjectStore(backups) {
          private boolean pruned;

          @Override
          public java.util.Optional<io.influxbak.store.ObjectInfo> stat(ObjectKey key)
              throws IOException {
            if (!pruned && key.equals(ObjectKey.of("a/" + BackupRepository.RETIRED_MARKER))) {
              pruned = true;
              backups.write(
                  key, ObjectContent.ofBytes(new byte[] {'{', '}'}), WriteMode.CREATE_NEW);
              backups.delete(ObjectKey.of("a/" + ManifestFormat.FILE_NAME));
              ObjectKey stored = KeyPrefix.of("a").resolve(victim);
              if (damage.equals("deleted")) {
                backups.delete(stored);
              } else {
                byte[] whole = backups.bytes(stored).orElseThrow();
                backups.write(
                    stored,
                    ObjectContent.ofBytes(java.util.Arrays.copyOf(whole, whole.length - 1)),
                    WriteMode.REPLACE);
              }
            }
            return super.stat(key);
          }
        };

    BackupResult second =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(live, racing);

    ManifestEntry copied =
        second.objects().stream().filter(o -> o.key().equals(victim)).findFirst().orElseThrow();
    assertThat(copied.reused()).isFalse();
    assertRestores(backups, "b", state);
  }

  @Test
  void compressed_everyKindButParquetIsGzip_restoresAndVerifies() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));

    backup("z", BackupOptions.builder().compression(Compression.gzip()));

    BackupManifest manifest = manifest("z");
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest);
    for (ManifestEntry entry : manifest.entries()) {
      Encoding want = entry.kind() == ObjectKind.PARQUET ? Encoding.IDENTITY : Encoding.GZIP;
      assertThat(entry.stored().encoding()).as(entry.key().toString()).isEqualTo(want);
      byte[] stored = backups.bytes(entry.storedKey("z")).orElseThrow();
      assertThat(stored).hasSize((int) entry.stored().size());
      byte[] original =
          want == Encoding.GZIP
              ? new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes()
              : stored;
      assertThat(original)
          .as("hashes and size cover the original bytes of %s", entry.key())
          .isEqualTo(state.get(entry.key()));
      assertThat((long) original.length).isEqualTo(entry.size());
    }
    assertThat(backups.stat(KeyPrefix.of("z").resolve(firstOfKind(manifest, ObjectKind.WAL))))
        .isEmpty(); // only the .gz copy
    assertThat(BackupVerifier.shallow(backups, "z").findings()).isEmpty();
    assertThat(BackupVerifier.deep(backups, "z", 2).findings()).isEmpty();
    assertRestores(backups, "z", state);
  }

  @Test
  void compressed_storedCopyTampered_verifyFindsItAndRestoreRefuses() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("z", BackupOptions.builder().compression(Compression.gzip()));
    BackupManifest manifest = manifest("z");
    ManifestEntry wal = manifest.entry(firstOfKind(manifest, ObjectKind.WAL)).orElseThrow();
    // Same length, other content: a well-formed gzip of other bytes.
    byte[] other = new byte[(int) wal.size()];
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(other);
    }
    backups.write(wal.storedKey("z"), ObjectContent.ofBytes(gz.toByteArray()), WriteMode.REPLACE);

    VerifyReport shallow = BackupVerifier.shallow(backups, "z");
    VerifyReport deep = BackupVerifier.deep(backups, "z", 2);

    assertThat(shallow.findings())
        .extracting(VerifyFinding::key)
        .containsExactly(wal.storedKey("z"));
    assertThat(deep.findings()).extracting(VerifyFinding::key).containsExactly(wal.storedKey("z"));
    assertThat(deep.findings().get(0).problem()).isEqualTo(VerifyFinding.Problem.CHECKSUM_MISMATCH);
    assertThatThrownBy(() -> RestorePlan.of("z").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(io.influxbak.restore.BackupDamagedException.class)
        .hasMessageContaining(wal.storedKey("z").toString());
  }

  @Test
  void incrementalOfCompressed_reusesTheGzipCopies() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    backup("z", BackupOptions.builder().compression(Compression.gzip()));
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("z"));

    BackupResult plain = backup("p", BackupOptions.builder());

    assertThat(copiedByThisBackup(plain)).isZero();
    assertThat(manifest("p").entries())
        .anyMatch(
            e ->
                e.stored().encoding() == Encoding.GZIP
                    && e.stored().backupId().equals(java.util.Optional.of("z")));
    assertRestores(backups, "p", state);
  }

  @Test
  void resume_afterACrashAtEachChange_copiesOnlyWhatWasMissingAndRestores() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    CrashingObjectStore counting =
        new CrashingObjectStore(new InMemoryObjectStore(), Long.MAX_VALUE);
    BackupPlan.core(NODE).withOptions(JOURNALLED_OBJECT_BY_OBJECT).execute(live, counting);
    long changes = counting.changes();
    SortedMap<ObjectKey, byte[]> state =
        expected(
            live,
            BackupRepository.of(counting).readManifest(BackupId.of("r"), 1_000_000).orElseThrow());
    assertThat(changes).isGreaterThan(2L * state.size());
    int skipped = 0;
    for (long crashAt = 2; crashAt < changes; crashAt++) { // the first change is the start marker
      InMemoryObjectStore store = new InMemoryObjectStore();
      CrashingObjectStore crashing = new CrashingObjectStore(store, crashAt);
      try {
        BackupPlan.core(NODE).withOptions(JOURNALLED_OBJECT_BY_OBJECT).execute(live, crashing);
        // Only the journal's clean-up comes after the manifest, and it is best effort: the backup
        // is complete.
        assertThat(BackupRepository.of(store).readManifest(BackupId.of("r"), 1_000_000))
            .isPresent();
        assertRestores(store, "r", state);
        continue;
      } catch (IOException e) {
        assertThat(com.google.common.base.Throwables.getCausalChain(e))
            .anyMatch(CrashingObjectStore.CrashException.class::isInstance);
      }
      Set<ObjectKey> journalled = new HashSet<>();
      for (ManifestEntry entry : BackupRepository.of(store).readJournal(BackupId.of("r"))) {
        if (!entry.kind().rewrittenInPlace()) {
          journalled.add(KeyPrefix.of("r").resolve(entry.key()));
        }
      }
      TrackingObjectStore tracked = new TrackingObjectStore(store);

      BackupResult resumed =
          BackupPlan.core(NODE).withOptions(resumedAnHourOn("r")).execute(live, tracked);

      assertThat(tracked.completedWrites())
          .as("crash at change %s", crashAt)
          .noneMatch(journalled::contains);
      skipped += journalled.size();
      assertThat(resumed.objects()).hasSize(state.size());
      assertRestores(store, "r", state);
      assertThat(BackupVerifier.shallow(store, "r").findings())
          .as("crash at change %s", crashAt)
          .isEmpty();
      assertThat(BackupRepository.of(store).readJournal(BackupId.of("r")))
          .isEmpty(); // deleted once the manifest is written
    }
    assertThat(skipped).as("resumes that had something to skip").isPositive();
  }

  /**
   * What a killed run copied and the source has since deleted is not part of the resumed backup:
   * the resume removes it from the backup's root, which then holds exactly the manifest's objects.
   */
  @Test
  void resume_afterTheSourceDeletedWhatTheKilledRunCopied_removesItFromTheRoot()
      throws IOException {
    SimulatedCoreServer server =
        server(List.of(Step.WRITE, Step.WRITE, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    Set<ObjectKey> walBefore = new HashSet<>(StoreKeys.under(live, KeyPrefix.of("node0/wal")));
    // Killed as it writes the manifest: everything is copied.
    ForwardingObjectStore killedAtTheManifest =
        new ForwardingObjectStore(backups) {
          @Override
          public io.influxbak.store.ObjectInfo write(
              ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
            if (key.name().equals(ManifestFormat.FILE_NAME)) {
              throw new java.nio.file.AccessDeniedException(key + ": simulated crash");
            }
            return super.write(key, content, mode);
          }
        };
    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(JOURNALLED_OBJECT_BY_OBJECT)
                    .execute(live, killedAtTheManifest))
        .hasStackTraceContaining("simulated crash");
    server.queue(List.of(Step.SNAPSHOT, Step.DELETE_SNAPSHOTTED_WAL));
    server.drain();
    Set<ObjectKey> deleted = new HashSet<>(walBefore);
    deleted.removeAll(StoreKeys.under(live, KeyPrefix.of("node0/wal")));
    assertThat(deleted).as("WAL the killed run copied, deleted by the server since").isNotEmpty();
    assertThat(StoreKeys.under(backups, KeyPrefix.of("r")))
        .contains(KeyPrefix.of("r").resolve(deleted.iterator().next()));

    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().resume("r").build())
        .execute(live, backups);

    Set<ObjectKey> expectedKeys = new HashSet<>();
    manifest("r").entries().forEach(e -> expectedKeys.add(e.storedKey("r")));
    expectedKeys.add(ObjectKey.of("r/" + ManifestFormat.FILE_NAME));
    expectedKeys.add(ObjectKey.of("r/" + BackupRepository.STARTED_MARKER));
    assertThat(StoreKeys.under(backups, KeyPrefix.of("r")))
        .containsExactlyInAnyOrderElementsOf(expectedKeys);
    assertRestores(backups, "r", expected(live, manifest("r")));
  }

  @Test
  void resume_afterAFailedRun_skipsWhatTheFailedRunJournalled() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    // Not a crash: one write fails for good, the run stops, and what it copied is journalled on the
    // way out.
    java.util.concurrent.atomic.AtomicReference<ObjectKey> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    ForwardingObjectStore failingOnce =
        new ForwardingObjectStore(backups) {
          @Override
          public io.influxbak.store.ObjectInfo write(
              ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
            if (key.toString().contains("/wal/") && failed.compareAndSet(null, key)) {
              throw new java.nio.file.AccessDeniedException(key.toString());
            }
            return super.write(key, content, mode);
          }
        };
    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(
                        BackupOptions.builder()
                            .transfer(TransferSettings.builder().parallelism(1).build())
                            .backupId("r")
                            .build())
                    .execute(live, failingOnce))
        .isInstanceOf(TransferFailedException.class);
    List<ManifestEntry> journalled = BackupRepository.of(backups).readJournal(BackupId.of("r"));
    assertThat(journalled)
        .isNotEmpty()
        .noneMatch(e -> KeyPrefix.of("r").resolve(e.key()).equals(failed.get()));
    TrackingObjectStore tracked = new TrackingObjectStore(backups);

    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().resume("r").build())
        .execute(live, tracked);

    Set<ObjectKey> skipped = new HashSet<>();
    journalled.stream()
        .filter(e -> !e.kind().rewrittenInPlace())
        .forEach(e -> skipped.add(KeyPrefix.of("r").resolve(e.key())));
    assertThat(tracked.completedWrites()).noneMatch(skipped::contains);
    assertRestores(backups, "r", expected(live, manifest("r")));
  }

  @Test
  void resume_ofACompleteOrUnknownBackup_refusedTyped() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT));
    backup("a", BackupOptions.builder());

    assertThatThrownBy(() -> backup("a", BackupOptions.builder().resume("a")))
        .isInstanceOf(ResumeNotPossibleException.class)
        .hasMessageContaining("a")
        .hasMessageContaining("complete");
    assertThatThrownBy(() -> backup("nope", BackupOptions.builder().resume("nope")))
        .isInstanceOf(ResumeNotPossibleException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("no backup was started");
  }

  @Test
  void manifestV2_unsafeHolder_rejectedTyped() throws IOException {
    server(List.of(Step.WRITE, Step.SNAPSHOT));
    backup("a", BackupOptions.builder());
    backup("b", BackupOptions.builder());
    String json =
        new String(
            backups.bytes(ObjectKey.of("b/" + ManifestFormat.FILE_NAME)).orElseThrow(),
            java.nio.charset.StandardCharsets.UTF_8);
    byte[] hostile =
        json.replace("\"backup\":\"a\"", "\"backup\":\"..\"")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    backups.write(
        ObjectKey.of("b/" + ManifestFormat.FILE_NAME),
        ObjectContent.ofBytes(hostile),
        WriteMode.REPLACE);

    assertThatThrownBy(() -> RestorePlan.of("b").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(io.influxbak.manifest.ManifestException.class)
        .hasMessageContaining("b/manifest.json")
        .hasMessageContaining("invalid backup id");
  }

  private static ObjectKey firstOfKind(BackupManifest manifest, ObjectKind kind) {
    return manifest.entries().stream()
        .filter(e -> e.kind() == kind)
        .findFirst()
        .orElseThrow()
        .key();
  }
}
