package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.lease.ManualClock;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupObjects;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.retention.KeyRotation;
import io.influxbak.retention.Prune;
import io.influxbak.retention.PruneResult;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Immutable backups against a store that enforces locks: what a locked backup locks (every object
 * it needs, reused ones extended), that prune never tries to delete a locked object but retires the
 * backup and removes it once the lock has passed, that list and verify show the lock state and
 * verify fails on an object that lost its lock, and that a store that cannot lock fails the run
 * before it copies anything.
 */
class LockedBackupTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final RetentionLock TEN_DAYS =
      new RetentionLock(ObjectLock.Mode.GOVERNANCE, Duration.ofDays(10));

  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = InMemoryObjectStore.withLocks(clock);
  private SimulatedCoreServer server;

  @BeforeEach
  void serverWithHistory() throws IOException {
    server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 5);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();
  }

  private BackupResult backup(String id, BackupOptions.Builder options, ObjectStore destination)
      throws IOException {
    return BackupPlan.core(NODE)
        .withOptions(
            options.backupId(id).transfer(TransferSettings.builder().clock(clock).build()).build())
        .execute(live, destination);
  }

  private BackupManifest manifest(String id, BackupKeys keys) throws IOException {
    return BackupRepository.of(backups, keys).readManifest(BackupId.of(id), 100_000).orElseThrow();
  }

  private KeyRotation.Result rotate(LocalKey from, LocalKey to) throws IOException {
    return KeyRotation.of(from, to)
        .lease(
            io.influxbak.lease.LeaseSettings.defaults()
                .withTime(clock, io.influxbak.transfer.RetryPolicy.Sleeper.REAL))
        .execute(backups);
  }

  private Prune prune(RetentionPolicy policy) {
    return Prune.of(policy).transfer(TransferSettings.builder().clock(clock).build());
  }

  @Test
  void lockedBackup_locksEveryObjectItNeeds_andRecordsTheLock() throws IOException {
    backup("a", BackupOptions.builder().lock(TEN_DAYS), backups);

    BackupManifest manifest = manifest("a", BackupKeys.NONE);
    ObjectLock expected =
        new ObjectLock(ObjectLock.Mode.GOVERNANCE, clock.instant().plus(10, ChronoUnit.DAYS));
    assertThat(manifest.lock()).contains(expected);
    Set<ObjectKey> needed = BackupObjects.needed(BackupId.of("a"), manifest.entries(), false);
    assertThat(needed).hasSize(manifest.entries().size() + 2);
    for (ObjectKey key : needed) {
      assertThat(backups.lockOf(key)).as("%s", key).contains(expected);
    }
    ObjectKey data = manifest.entries().get(0).storedKey("a");
    assertThatThrownBy(() -> backups.delete(data)).isInstanceOf(ObjectLockedException.class);

    assertThat(BackupRepository.of(backups).list())
        .singleElement()
        .satisfies(summary -> assertThat(summary.lock()).contains(expected));
    VerifyReport shallow = BackupVerifier.shallow(backups, "a");
    assertThat(shallow.passed()).isTrue();
    assertThat(shallow.lock()).contains(expected);
  }

  @Test
  void incremental_extendsTheLocksOfWhatItReuses_encryptedKeysToo() throws IOException {
    LocalKey key = LocalKey.generate();
    backup("a", BackupOptions.builder().lock(TEN_DAYS).encryption(key), backups);
    clock.advance(Duration.ofDays(4));
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT));
    server.drain();
    backup("b", BackupOptions.builder().lock(TEN_DAYS).encryption(key), backups);

    BackupManifest b = manifest("b", BackupKeys.of(key));
    List<ManifestEntry> reused = b.entries().stream().filter(ManifestEntry::reused).toList();
    assertThat(reused).isNotEmpty();
    Instant extended = clock.instant().plus(10, ChronoUnit.DAYS);
    for (ManifestEntry entry : reused) {
      assertThat(backups.lockOf(entry.storedKey("b")).orElseThrow().retainUntil())
          .as("%s", entry.key())
          .isEqualTo(extended);
    }
    // a's data key reads b's reused copies, so it is locked as long
    assertThat(backups.lockOf(BackupId.of("a").dataKeyRecord()).orElseThrow().retainUntil())
        .isEqualTo(extended);
    // a's own manifest is not needed by b: its lock is a's own
    assertThat(
            backups.lockOf(KeyPrefix.of("a").resolve("manifest.json")).orElseThrow().retainUntil())
        .isEqualTo(extended.minus(4, ChronoUnit.DAYS));
  }

  @Test
  void prune_neverTriesToDeleteALockedObject_retiresTheBackup_andRemovesItOnceTheLockHasPassed()
      throws IOException {
    backup("a", BackupOptions.builder().lock(TEN_DAYS).full(), backups);
    clock.advance(Duration.ofDays(1));
    backup("b", BackupOptions.builder().lock(TEN_DAYS).full(), backups);
    List<ObjectKey> aObjects = StoreKeys.under(backups, KeyPrefix.of("a"));
    PruneResult first = prune(RetentionPolicy.keepLast(1)).execute(backups);

    assertThat(backups.refusedDeletes()).as("deletes of locked objects asked").isZero();
    assertThat(first.locked()).containsOnlyKeys("a");
    assertThat(first.locked().get("a").retainUntil())
        .isEqualTo(clock.instant().plus(9, ChronoUnit.DAYS));
    assertThat(first.retained()).containsExactly("a");
    assertThat(first.removed()).isEmpty();
    assertThat(StoreKeys.under(backups, KeyPrefix.of("a")))
        .containsAll(aObjects)
        .contains(KeyPrefix.of("a").resolve(BackupRepository.RETIRED_MARKER));
    assertThat(BackupRepository.of(backups).list())
        .filteredOn(s -> s.backupId().equals("a"))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(BackupSummary.State.RETIRED));
    assertThatThrownBy(
            () ->
                RestorePlan.of("a")
                    .withOptions(RestoreOptions.defaults())
                    .execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(IOException.class);

    clock.advance(Duration.ofDays(9).plusSeconds(1));
    PruneResult second = prune(RetentionPolicy.keepLast(1)).execute(backups);

    assertThat(backups.refusedDeletes()).as("deletes of locked objects asked").isZero();
    assertThat(second.locked()).isEmpty();
    assertThat(second.removed()).containsExactly("a");
    assertThat(StoreKeys.under(backups, KeyPrefix.of("a"))).isEmpty();
    assertThat(BackupVerifier.deep(backups, "b", 4).findings())
        .allSatisfy(f -> assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.NOT_LOCKED))
        .isEmpty();
  }

  @Test
  void verify_failsOnAnObjectThatLostItsLock_naming_it() throws IOException {
    backup("a", BackupOptions.builder().lock(TEN_DAYS), backups);
    ObjectKey unlocked = manifest("a", BackupKeys.NONE).entries().get(0).storedKey("a");
    backups.unlock(unlocked);

    for (VerifyReport report :
        List.of(BackupVerifier.shallow(backups, "a"), BackupVerifier.deep(backups, "a", 4))) {
      assertThat(report.passed()).isFalse();
      assertThat(report.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.key()).isEqualTo(unlocked);
                assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.NOT_LOCKED);
                assertThat(f.detail()).contains("not locked");
              });
    }
  }

  @Test
  void storeWithoutLocks_refusesALockedBackup_beforeWritingAnything() {
    InMemoryObjectStore plain = new InMemoryObjectStore();

    assertThatThrownBy(() -> backup("a", BackupOptions.builder().lock(TEN_DAYS), plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no object locks");
    assertThat(plain.size()).isZero();
  }

  @Test
  void bucketThatRefusesLocks_failsTheRun_beforeItCopiesAnything() throws IOException {
    List<ObjectKey> written = new ArrayList<>();
    ObjectStore refusing =
        new ForwardingObjectStore(backups) {
          @Override
          public void lock(ObjectKey key, ObjectLock lock) throws IOException {
            throw new IOException("Bucket is missing Object Lock Configuration (" + key + ")");
          }

          @Override
          public io.influxbak.store.ObjectInfo write(
              ObjectKey key,
              io.influxbak.store.ObjectContent content,
              io.influxbak.store.WriteMode mode)
              throws IOException {
            written.add(key);
            return super.write(key, content, mode);
          }
        };

    assertThatThrownBy(() -> backup("a", BackupOptions.builder().lock(TEN_DAYS), refusing))
        .hasMessageContaining("Object Lock Configuration");
    // The start marker and nothing else of the backup: the lock of the marker failed first.
    assertThat(written.stream().filter(k -> k.toString().startsWith("a/")))
        .containsExactly(KeyPrefix.of("a").resolve(BackupRepository.STARTED_MARKER));
  }

  @Test
  void resume_ofARunKilledInItsLockStep_isRefusedNamingTheLockedObject_andPruneRemovesItLater()
      throws IOException {
    // Every change of a whole run, in order; the run is killed as it writes its manifest, when
    // the lock step has locked every object the backup needs.
    List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    ObjectStore recording =
        new ForwardingObjectStore(InMemoryObjectStore.withLocks(clock)) {
          @Override
          public void lock(ObjectKey key, ObjectLock lock) throws IOException {
            changes.add("lock " + key);
            super.lock(key, lock);
          }

          @Override
          public io.influxbak.store.ObjectInfo write(
              ObjectKey key,
              io.influxbak.store.ObjectContent content,
              io.influxbak.store.WriteMode mode)
              throws IOException {
            if (!key.isUnder(io.influxbak.lease.Leases.ROOT)) {
              changes.add("write " + key);
            }
            return super.write(key, content, mode);
          }

          @Override
          public io.influxbak.store.ObjectInfo copy(
              ObjectKey source, ObjectKey target, io.influxbak.store.WriteMode mode)
              throws IOException {
            changes.add("copy " + target);
            return super.copy(source, target, mode);
          }
        };
    backup("a", BackupOptions.builder().lock(TEN_DAYS), recording);
    long manifestWrite = changes.indexOf("write a/manifest.json") + 1;
    assertThat(changes.subList(0, (int) manifestWrite - 1))
        .contains("lock a/node0/catalog/v3/snapshot");
    assertThatThrownBy(
            () ->
                backup(
                    "a",
                    BackupOptions.builder().lock(TEN_DAYS),
                    new CrashingObjectStore(backups, manifestWrite)))
        .hasStackTraceContaining("CrashException");
    assertThat(backups.stat(KeyPrefix.of("a").resolve("manifest.json"))).isEmpty();
    CrashingObjectStore.breakLeases(backups);

    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(
                        BackupOptions.builder()
                            .resume("a")
                            .lock(TEN_DAYS)
                            .transfer(TransferSettings.builder().clock(clock).build())
                            .build())
                    .execute(live, backups))
        .isInstanceOf(io.influxbak.repository.ResumeNotPossibleException.class)
        .hasMessageContaining("had already locked a/");

    clock.advance(Duration.ofDays(11));
    PruneResult pruned =
        prune(RetentionPolicy.keepLast(1))
            .removeIncompleteStartedBefore(clock.instant())
            .execute(backups);
    assertThat(pruned.removed()).containsExactly("a");
    assertThat(StoreKeys.under(backups, KeyPrefix.of("a"))).isEmpty();
  }

  @Test
  void keyRotation_leavesALockedKeyRecordUnderTheOldKey_reportsIt_andRotatesItOnceTheLockPassed()
      throws IOException {
    LocalKey old = LocalKey.generate();
    LocalKey next = LocalKey.generate();
    backup("a", BackupOptions.builder().lock(TEN_DAYS).encryption(old), backups);

    KeyRotation.Result first = rotate(old, next);

    assertThat(first.complete()).isFalse();
    assertThat(first.locked()).containsExactly("a");
    assertThat(first.rotated()).isEmpty();
    assertThat(BackupRepository.of(backups, BackupKeys.of(old)).dataKey(BackupId.of("a")))
        .isPresent();

    clock.advance(Duration.ofDays(11));
    KeyRotation.Result later = rotate(old, next);
    assertThat(later.complete()).isTrue();
    assertThat(later.rotated()).containsExactly("a");
    assertThat(BackupRepository.of(backups, BackupKeys.of(next)).dataKey(BackupId.of("a")))
        .isPresent();
  }

  @Test
  void lockCoveringAPolicy_lastsAsLongAsThePolicyKeepsABackup() {
    Duration day = Duration.ofDays(1);
    assertThat(RetentionPolicy.keepLast(7).longestKeep(day)).isEqualTo(Duration.ofDays(8));
    assertThat(RetentionPolicy.keepDaily(7).weekly(4).longestKeep(day))
        .isEqualTo(Duration.ofDays(29));
    assertThat(RetentionPolicy.keepLast(3).monthly(12).longestKeep(Duration.ofHours(6)))
        .isEqualTo(Duration.ofDays(372).plusHours(6));
    assertThat(RetentionPolicy.keepLast(48).longestKeep(Duration.ofHours(1)))
        .isEqualTo(Duration.ofHours(49));
    assertThatThrownBy(() -> RetentionPolicy.keepLast(1).longestKeep(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
