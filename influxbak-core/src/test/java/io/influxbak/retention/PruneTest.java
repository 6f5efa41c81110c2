package io.influxbak.retention;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.base.Throwables;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupRetiredException;
import io.influxbak.repository.BackupSummary;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.CancellationHandle;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.OperationCancelledException;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pruning incremental backups: what goes, what must stay, and a crash at every step. */
class PruneTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final Instant DAY_ONE = Instant.parse("2026-11-01T03:00:00Z");
  private static final List<Step> BETWEEN_BACKUPS =
      List.of(
          Step.WRITE,
          Step.SNAPSHOT,
          Step.DELETE_SNAPSHOTTED_WAL,
          Step.CATALOG_CHECKPOINT,
          Step.WRITE,
          Step.SNAPSHOT,
          Step.RETENTION);

  /**
   * Four daily backups b1..b4 (b3 compressed), the server busy between them; what each must restore
   * to.
   */
  private static final class History {
    final InMemoryObjectStore live = new InMemoryObjectStore();
    final InMemoryObjectStore backups = new InMemoryObjectStore();
    final Map<String, SortedMap<ObjectKey, byte[]>> expected = new LinkedHashMap<>();
    final SimulatedCoreServer server;
    int day;

    History() throws IOException {
      server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 11);
      for (int i = 1; i <= 4; i++) {
        server.queue(BETWEEN_BACKUPS);
        server.drain();
        backup(
            "b" + i,
            i == 3
                ? BackupOptions.builder().compression(Compression.gzip())
                : BackupOptions.builder());
      }
    }

    void backup(String id, BackupOptions.Builder options) throws IOException {
      Clock clock = Clock.fixed(DAY_ONE.plusSeconds(86_400L * day++), ZoneOffset.UTC);
      BackupPlan.core(NODE)
          .withOptions(
              options
                  .backupId(id)
                  .transfer(TransferSettings.builder().clock(clock).build())
                  .build())
          .execute(live, backups);
      expected.put(
          id,
          expected(
              live,
              BackupRepository.of(backups).readManifest(BackupId.of(id), 1_000_000).orElseThrow()));
    }

    Map<String, BackupSummary.State> states() throws IOException {
      return BackupRepository.of(backups).list().stream()
          .collect(Collectors.toMap(BackupSummary::backupId, BackupSummary::state));
    }

    void assertCompleteBackupsRestore() throws IOException {
      for (BackupSummary backup : BackupRepository.of(backups).list()) {
        if (backup.complete()) {
          assertRestores(backups, backup.backupId(), expected.get(backup.backupId()));
        }
      }
    }
  }

  @Test
  void prune_retiresWhatThePolicyDropsAndKeepsWhatRemainingBackupsUse() throws IOException {
    History history = new History();
    long objectsBefore = history.backups.size();

    PruneResult result = Prune.of(RetentionPolicy.keepLast(2)).execute(history.backups);

    assertThat(result.decisions())
        .filteredOn(PruneDecision::keep)
        .extracting(PruneDecision::backupId)
        .containsExactly("b4", "b3");
    assertThat(result.objectsDeleted()).isPositive();
    assertThat(history.backups.size())
        .isLessThan((int) (objectsBefore - result.objectsDeleted() + 1));
    assertThat(result.retained()).as("b3 and b4 reuse objects b1 and b2 copied first").isNotEmpty();
    Map<String, BackupSummary.State> states = history.states();
    assertThat(states)
        .containsEntry("b3", BackupSummary.State.COMPLETE)
        .containsEntry("b4", BackupSummary.State.COMPLETE);
    result
        .retained()
        .forEach(id -> assertThat(states).containsEntry(id, BackupSummary.State.RETIRED));
    result.removed().forEach(id -> assertThat(states).doesNotContainKey(id));
    history.assertCompleteBackupsRestore();
    assertThat(BackupVerifier.deep(history.backups, "b3", 2).findings()).isEmpty();
    assertThat(BackupVerifier.shallow(history.backups, "b4").findings()).isEmpty();
    assertThatThrownBy(
            () ->
                RestorePlan.of(result.retained().get(0))
                    .execute(history.backups, new InMemoryObjectStore()))
        .isInstanceOf(BackupRetiredException.class)
        .hasMessageContaining(result.retained().get(0));
  }

  @Test
  void prune_deletionsFailingTransiently_retriedPerTheSettingsAndFinish() throws IOException {
    History history = new History();
    AtomicInteger failedDeletes = new AtomicInteger();
    ObjectStore flaky =
        new ForwardingObjectStore(history.backups) {
          @Override
          public void delete(ObjectKey key) throws IOException {
            if (failedDeletes.get() < 3) {
              failedDeletes.incrementAndGet();
              throw new TransientStoreException("simulated throttling on " + key, null);
            }
            super.delete(key);
          }
        };
    TransferSettings settings =
        TransferSettings.builder()
            .retryPolicy(new RetryPolicy(4, Duration.ZERO, Duration.ZERO, RetryPolicy.Sleeper.REAL))
            .build();

    PruneResult result = Prune.of(RetentionPolicy.keepLast(2)).transfer(settings).execute(flaky);

    assertThat(failedDeletes).as("deletions that failed, then were retried").hasValue(3);
    assertThat(result.objectsDeleted()).isPositive();
    assertThat(history.states()).containsEntry("b3", BackupSummary.State.COMPLETE);
    history.assertCompleteBackupsRestore();
  }

  @Test
  void prune_cancelledBeforeItStarts_deletesNothing() throws IOException {
    History history = new History();
    long objectsBefore = history.backups.size();
    CancellationHandle cancellation = new CancellationHandle();
    cancellation.cancel();

    assertThatThrownBy(
            () ->
                Prune.of(RetentionPolicy.keepLast(2))
                    .transfer(TransferSettings.builder().cancellation(cancellation).build())
                    .execute(history.backups))
        .isInstanceOf(OperationCancelledException.class);
    assertThat(history.backups.size()).isEqualTo(objectsBefore);
  }

  @Test
  void manifestOfNewerFormat_listedUnreadable_pruneRefusesAndDeletesNothing() throws IOException {
    History history = new History(); // b1, b2, b3 (gzip), b4; b2 to b4 reuse objects of b1
    ObjectKey manifest = KeyPrefix.of("b4").resolve("manifest.json");
    byte[] readable = bytes(history.backups, manifest);
    history.backups.write(
        manifest,
        ObjectContent.ofBytes(
            new String(readable, java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"formatVersion\"\\s*:\\s*\\d+", "\"formatVersion\" : 3")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        WriteMode.REPLACE);
    Map<ObjectKey, Long> before = sizes(history.backups);

    BackupSummary b4 =
        BackupRepository.of(history.backups).list().stream()
            .filter(b -> b.backupId().equals("b4"))
            .findFirst()
            .orElseThrow();
    assertThat(b4.state()).isEqualTo(BackupSummary.State.UNREADABLE);
    assertThat(b4.problem()).hasValueSatisfying(p -> assertThat(p).contains("formatVersion 3"));
    assertThatThrownBy(
            () ->
                Prune.of(RetentionPolicy.keepLast(1))
                    .removeIncompleteStartedBefore(Instant.MAX)
                    .execute(history.backups))
        .isInstanceOfSatisfying(
            UnreadableBackupsException.class, e -> assertThat(e.backupIds()).containsExactly("b4"))
        .hasMessageContaining("b4")
        .hasMessageContaining("formatVersion 3");
    assertThat(sizes(history.backups)).isEqualTo(before);

    PruneResult left =
        Prune.of(RetentionPolicy.keepLast(1)).leaveUnreadable().execute(history.backups);

    assertThat(left.objectsDeleted()).isZero();
    assertThat(left.decisions())
        .filteredOn(d -> d.backupId().equals("b4"))
        .singleElement()
        .satisfies(d -> assertThat(d.keep()).isTrue());
    history.backups.write(manifest, ObjectContent.ofBytes(readable), WriteMode.REPLACE);
    assertRestores(history.backups, "b4", history.expected.get("b4"));
  }

  @Test
  void damagedManifest_listedUnreadableNotIncomplete() throws IOException {
    History history = new History();
    ObjectKey manifest = KeyPrefix.of("b2").resolve("manifest.json");
    byte[] readable = bytes(history.backups, manifest);
    history.backups.write(
        manifest,
        ObjectContent.ofBytes(java.util.Arrays.copyOf(readable, readable.length / 2)),
        WriteMode.REPLACE);

    assertThat(history.states()).containsEntry("b2", BackupSummary.State.UNREADABLE);
    assertThat(BackupVerifier.shallow(history.backups, "b2").findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.problem())
                  .isEqualTo(io.influxbak.verify.VerifyFinding.Problem.UNREADABLE);
              assertThat(f.detail()).contains("does not read here");
            });
    assertThatThrownBy(() -> Prune.of(RetentionPolicy.keepLast(4)).dryRun(history.backups))
        .isInstanceOf(UnreadableBackupsException.class);
  }

  private static byte[] bytes(ObjectStore store, ObjectKey key) throws IOException {
    try (java.io.InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  private static Map<ObjectKey, Long> sizes(ObjectStore store) throws IOException {
    Map<ObjectKey, Long> sizes = new java.util.TreeMap<>();
    for (ObjectKey key : StoreKeys.under(store, KeyPrefix.ROOT)) {
      sizes.put(key, store.stat(key).orElseThrow().size());
    }
    return sizes;
  }

  @Test
  void prune_retiredRootsGoOnceNoBackupUsesThem() throws IOException {
    History history = new History();
    Prune.of(RetentionPolicy.keepLast(2)).execute(history.backups);
    history.backup("b5", BackupOptions.builder().full());

    PruneResult result = Prune.of(RetentionPolicy.keepLast(1)).execute(history.backups);

    assertThat(result.removed()).containsExactlyInAnyOrder("b1", "b2", "b3", "b4");
    assertThat(result.retained()).isEmpty();
    assertThat(StoreKeys.under(history.backups, KeyPrefix.ROOT))
        .allMatch(k -> k.isUnder(KeyPrefix.of("b5")));
    assertRestores(history.backups, "b5", history.expected.get("b5"));
  }

  @Test
  void dryRun_changesNothingAndPredictsTheRun() throws IOException {
    History history = new History();
    List<ObjectKey> before = StoreKeys.under(history.backups, KeyPrefix.ROOT);

    PruneResult preview = Prune.of(RetentionPolicy.keepLast(1)).dryRun(history.backups);

    assertThat(preview.dryRun()).isTrue();
    assertThat(StoreKeys.under(history.backups, KeyPrefix.ROOT))
        .containsExactlyInAnyOrderElementsOf(before);
    PruneResult done = Prune.of(RetentionPolicy.keepLast(1)).execute(history.backups);
    assertThat(done.decisions()).isEqualTo(preview.decisions());
    assertThat(done.objectsDeleted()).isEqualTo(preview.objectsDeleted());
    assertThat(done.bytesFreed()).isEqualTo(preview.bytesFreed());
    assertThat(done.removed()).isEqualTo(preview.removed());
    assertThat(done.retained()).isEqualTo(preview.retained());
  }

  @Test
  void prune_crashAtEveryChange_leavesRemainingBackupsRestorableAndARerunFinishes()
      throws IOException {
    History clean = new History();
    CrashingObjectStore counting = new CrashingObjectStore(clean.backups, Long.MAX_VALUE);
    Prune.of(RetentionPolicy.keepLast(2)).execute(counting);
    List<ObjectKey> finalKeys = StoreKeys.under(clean.backups, KeyPrefix.ROOT);
    long changes = counting.changes();
    assertThat(changes).isGreaterThan(5);

    for (long crashAt = 1; crashAt <= changes; crashAt++) {
      History history = new History();
      CrashingObjectStore crashing = new CrashingObjectStore(history.backups, crashAt);
      long at = crashAt;
      assertThatThrownBy(() -> Prune.of(RetentionPolicy.keepLast(2)).execute(crashing))
          .as("crash at change %s", at)
          .satisfies(
              e ->
                  assertThat(Throwables.getCausalChain(e))
                      .anyMatch(CrashingObjectStore.CrashException.class::isInstance));

      assertThat(history.states())
          .as("crash at change %s", crashAt)
          .containsEntry("b3", BackupSummary.State.COMPLETE)
          .containsEntry("b4", BackupSummary.State.COMPLETE);
      history.assertCompleteBackupsRestore();

      CrashingObjectStore.breakLeases(history.backups); // the crashed prune's, as an operator
      Prune.of(RetentionPolicy.keepLast(2)).execute(history.backups);
      assertThat(StoreKeys.under(history.backups, KeyPrefix.ROOT))
          .as("rerun after a crash at change %s", crashAt)
          .containsExactlyInAnyOrderElementsOf(finalKeys);
    }
  }

  /**
   * b1..b4, then server activity, then b5 interrupted just before its manifest (journalled), then
   * b6 full.
   */
  /**
   * Backups b1 to b4, then b5 interrupted before its manifest, then b6. With {@code verifyReused},
   * b5 read what it reused, and its journal records those reuses; without, it reused on key and
   * size, which its journal does not record (a resume finds them again).
   */
  private static History withInterruptedBackup(boolean verifyReused) throws IOException {
    History history = new History();
    history.server.queue(BETWEEN_BACKUPS);
    history.server.drain();
    ForwardingObjectStore noManifest =
        new ForwardingObjectStore(history.backups) {
          @Override
          public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
              throws IOException {
            if (key.name().equals("manifest.json")) {
              throw new AccessDeniedException(key.toString());
            }
            return super.write(key, content, mode);
          }
        };
    Clock clock = Clock.fixed(DAY_ONE.plusSeconds(86_400L * 10), ZoneOffset.UTC);
    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(
                        (verifyReused
                                ? BackupOptions.builder().verifyReusedContent()
                                : BackupOptions.builder())
                            .transfer(TransferSettings.builder().clock(clock).build())
                            .backupId("b5")
                            .build())
                    .execute(history.live, noManifest))
        .isInstanceOf(AccessDeniedException.class);
    List<ManifestEntry> journal =
        BackupRepository.of(history.backups).readJournal(BackupId.of("b5"));
    assertThat(journal).anyMatch(e -> !e.reused()); // what it copied
    if (verifyReused) {
      assertThat(journal).anyMatch(ManifestEntry::reused);
    } else {
      assertThat(journal).noneMatch(ManifestEntry::reused);
    }
    history.backup("b6", BackupOptions.builder().full());
    return history;
  }

  @Test
  void incompleteBackup_keptWithWhatItsJournalUses_thenResumes() throws IOException {
    History history = withInterruptedBackup(true);

    PruneResult result = Prune.of(RetentionPolicy.keepLast(1)).execute(history.backups);

    assertThat(result.decisions())
        .filteredOn(d -> d.backupId().equals("b5"))
        .singleElement()
        .satisfies(d -> assertThat(d.keep()).isTrue());
    assertThat(result.retained()).as("b5's journal reuses objects b1..b4 hold").isNotEmpty();
    assertThat(history.states()).containsEntry("b5", BackupSummary.State.INCOMPLETE);
    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().resume("b5").build())
        .execute(history.live, history.backups);
    assertRestores(
        history.backups, "b5", history.expected.get("b6")); // nothing changed at the source since
    assertRestores(history.backups, "b6", history.expected.get("b6"));
  }

  @Test
  void incompleteBackup_startedBeforeTheCutoff_removedWithWhatOnlyItUsed() throws IOException {
    History history = withInterruptedBackup(true);

    PruneResult result =
        Prune.of(RetentionPolicy.keepLast(1))
            .removeIncompleteStartedBefore(DAY_ONE.plusSeconds(86_400L * 30))
            .execute(history.backups);

    assertThat(result.decisions())
        .filteredOn(d -> d.backupId().equals("b5"))
        .singleElement()
        .satisfies(d -> assertThat(d.keep()).isFalse());
    assertThat(result.removed()).containsExactlyInAnyOrder("b1", "b2", "b3", "b4", "b5");
    assertThat(StoreKeys.under(history.backups, KeyPrefix.ROOT))
        .allMatch(k -> k.isUnder(KeyPrefix.of("b6")));
    assertRestores(history.backups, "b6", history.expected.get("b6"));
  }

  /**
   * An interrupted incremental that reused on key and size holds nothing of the earlier backups in
   * its journal, so a prune may remove them; its resume reuses from the backups that remain.
   */
  @Test
  void incompleteBackup_reusingOnKeyAndSize_resumesFromWhatPruneKept() throws IOException {
    History history = withInterruptedBackup(false);

    PruneResult result = Prune.of(RetentionPolicy.keepLast(1)).execute(history.backups);

    assertThat(result.removed()).containsExactlyInAnyOrder("b1", "b2", "b3", "b4");
    BackupResult resumed =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().resume("b5").build())
            .execute(history.live, history.backups);
    assertThat(resumed.objects())
        .filteredOn(ManifestEntry::reused)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.stored().backupId()).hasValue("b6"));
    assertThat(BackupVerifier.shallow(history.backups, "b5").findings()).isEmpty();
    assertRestores(history.backups, "b5", history.expected.get("b6"));
  }
}
