package io.influxbak.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.repository.BackupId;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lease rules, one at a time, on a store in memory and a clock moved by hand. */
class LeasesTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Duration MARGIN = Duration.ofMinutes(5);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final AtomicInteger sleeps = new AtomicInteger();
  private final InMemoryObjectStore store = new InMemoryObjectStore();

  private LeaseSettings settings() {
    return LeaseSettings.defaults()
        .withTime(
            clock,
            duration -> {
              sleeps.incrementAndGet();
              clock.advance(duration);
            });
  }

  private Leases leases() {
    return Leases.in(store, settings());
  }

  @Test
  void backup_sameIdRefusedNamingTheHolder_otherIdsRunTogether() throws IOException {
    try (HeldLease first = leases().backup("b1", List.of("node0"), false);
        HeldLease other = leases().backup("b2", List.of("node1"), false)) {
      assertThatThrownBy(() -> leases().backup("b1", List.of("node0"), true))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("Refused resume of b1")
          .hasMessageContaining("backup of b1 (nodes node0) by ")
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("[fresh]");
      assertThat(leases().list())
          .extracting(LeaseState::name)
          .containsExactly("backup/b1.json", "backup/b2.json");
      assertThat(first.record().operation()).isEqualTo(LeaseOperation.BACKUP);
    }
    assertThat(leases().list()).as("given back").isEmpty();
  }

  @Test
  void prune_refusedWhileABackupHoldsALease_andLeavesNoLeaseBehind() throws IOException {
    try (HeldLease backup = leases().backup("b1", List.of("node0"), false)) {
      assertThatThrownBy(() -> leases().prune())
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("Refused prune")
          .hasMessageContaining("backup/b1.json");
      assertThat(leases().list()).extracting(LeaseState::name).containsExactly("backup/b1.json");
    }
    try (HeldLease prune = leases().prune()) {
      assertThatThrownBy(() -> leases().prune())
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("prune.json: prune by");
    }
  }

  @Test
  void prune_waitsForABackupToEnd_whenAskedTo() throws IOException {
    HeldLease backup = leases().backup("b1", List.of("node0"), false);
    ObjectStore closingOnSleep = store;
    Leases waiting =
        Leases.in(
            closingOnSleep,
            settings()
                .withMaxWait(Duration.ofMinutes(10))
                .withTime(
                    clock,
                    duration -> {
                      if (sleeps.incrementAndGet() == 3) {
                        backup.close(); // the backup ends while the prune waits
                      }
                      clock.advance(duration);
                    }));
    try (HeldLease prune = waiting.prune()) {
      assertThat(sleeps.get()).isEqualTo(3);
      assertThat(prune.record().operation()).isEqualTo(LeaseOperation.PRUNE);
    }
  }

  @Test
  void prune_thatWaitedItsLimit_refuses() {
    try (HeldLease backup = leasesUnchecked().backup("b1", List.of("node0"), false)) {
      Leases waiting = Leases.in(store, settings().withMaxWait(Duration.ofSeconds(30)));
      assertThatThrownBy(waiting::prune).isInstanceOf(LeaseHeldException.class);
      assertThat(sleeps.get()).as("polls every 5 s for 30 s").isEqualTo(6);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Leases leasesUnchecked() {
    return leases();
  }

  @Test
  void backup_waitsWhileAPruneRuns_thenRefusesAfterItsWait() throws IOException {
    try (HeldLease prune = leases().prune()) {
      Leases waiting = Leases.in(store, settings().withMaxWait(Duration.ofSeconds(20)));
      assertThatThrownBy(() -> waiting.backup("b1", List.of("node0"), false))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("prune.json");
      assertThat(sleeps.get()).isEqualTo(4);
      assertThat(leases().list()).as("the backup gave its own lease back").hasSize(1);
    }
  }

  @Test
  void staleLease_isTakenOver_andItsHolderStopsBeforeItsNextChange() throws IOException {
    HeldLease stalled = leases().backup("b1", List.of("node0"), false);
    ObjectStore guarded = stalled.guard(store);
    guarded.write(ObjectKey.of("b1/one"), bytes("1"), WriteMode.CREATE_NEW);

    clock.advance(LEASE.plus(Duration.ofMinutes(1))); // expired, within the margin
    assertThat(leases().list().get(0).status()).isEqualTo(LeaseState.Status.EXPIRED);
    assertThatThrownBy(() -> leases().backup("b1", List.of("node0"), true))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("[expired]");

    clock.advance(MARGIN); // past the margin: stale
    assertThat(leases().list().get(0).status()).isEqualTo(LeaseState.Status.STALE);
    try (HeldLease taker = leases().backup("b1", List.of("node0"), true)) {
      assertThat(taker.record().operation()).isEqualTo(LeaseOperation.RESUME);
      assertThatThrownBy(
              () -> guarded.write(ObjectKey.of("b1/two"), bytes("2"), WriteMode.CREATE_NEW))
          .isInstanceOf(LeaseLostException.class)
          .hasMessageContaining("taken over or broken by another run");
      assertThat(store.stat(ObjectKey.of("b1/two"))).as("no change after the loss").isEmpty();
      assertThatThrownBy(stalled::confirm).isInstanceOf(LeaseLostException.class);
      stalled.close(); // leaves the taker's lease alone
      assertThat(leases().list())
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l.record().orElseThrow().operation())
                      .isEqualTo(LeaseOperation.RESUME));
    }
  }

  @Test
  void holder_renewsWhenDue_andKeepsItsLease() throws IOException {
    try (HeldLease held = leases().backup("b1", List.of("node0"), false)) {
      Instant firstUntil = held.record().until();
      for (int i = 0; i < 12; i++) { // an hour of changes, one every five minutes... renewed each
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        held.checkHeld();
      }
      assertThat(held.record().until()).isAfter(firstUntil.plus(Duration.ofMinutes(10)));
      assertThat(leases().list().get(0).status()).isEqualTo(LeaseState.Status.FRESH);
      assertThatThrownBy(() -> leases().backup("b1", List.of(), true))
          .isInstanceOf(LeaseHeldException.class);
    }
  }

  @Test
  void staleLeasesInTheWay_areBroken_soAStoppedRunBlocksNobody() throws IOException {
    HeldLease stoppedPrune = leases().prune();
    clock.advance(LEASE.plus(MARGIN).plusSeconds(1));
    try (HeldLease backup = leases().backup("b1", List.of("node0"), false)) {
      assertThat(leases().list()).extracting(LeaseState::name).containsExactly("backup/b1.json");
      assertThatThrownBy(stoppedPrune::checkHeld).isInstanceOf(LeaseLostException.class);
    }
    HeldLease stoppedBackup = leases().backup("b2", List.of("node0"), false);
    clock.advance(LEASE.plus(MARGIN).plusSeconds(1));
    try (HeldLease prune = leases().prune()) {
      assertThat(leases().list()).extracting(LeaseState::name).containsExactly("prune.json");
      assertThatThrownBy(stoppedBackup::confirm).isInstanceOf(LeaseLostException.class);
    }
  }

  @Test
  void breakLease_refusesAFreshOneUnlessForced() throws IOException {
    HeldLease held = leases().backup("b1", List.of("node0"), false);
    assertThatThrownBy(() -> leases().breakLease("backup/b1.json", false))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("not stale; force breaks it anyway");
    assertThat(leases().breakLease("backup/b1.json", true).name()).isEqualTo("backup/b1.json");
    assertThat(leases().list()).isEmpty();
    held.checkHeld(); // a forced break is noticed at the holder's next renewal, not before
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(held::checkHeld).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> leases().breakLease("backup/b1.json", true))
        .isInstanceOf(ObjectNotFoundException.class);

    HeldLease stale = leases().prune();
    clock.advance(LEASE.plus(MARGIN).plusSeconds(1));
    assertThat(leases().breakLease("prune.json", false).status())
        .isEqualTo(LeaseState.Status.STALE);
    stale.close();
  }

  @Test
  void unreadableLease_isRespectedAndListed() throws IOException {
    store.write(
        Leases.ROOT.resolve("backup/b1.json"),
        bytes("{\"not\": \"a lease\"}"),
        WriteMode.CREATE_NEW);
    clock.advance(Duration.ofDays(30));
    assertThat(leases().list())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.status()).isEqualTo(LeaseState.Status.UNREADABLE);
              assertThat(l.problem()).get().asString().contains("has no format");
            });
    assertThatThrownBy(() -> leases().backup("b1", List.of(), false))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("unreadable");
    assertThatThrownBy(() -> leases().prune()).isInstanceOf(LeaseHeldException.class);
  }

  @Test
  void leaseWrittenButAnswerLost_isRecognisedAsOurs() throws IOException {
    AtomicInteger lost = new AtomicInteger();
    ObjectStore flaky =
        new ForwardingObjectStore(store) {
          @Override
          public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
              throws IOException {
            ObjectInfo written = super.write(key, content, mode);
            if (lost.getAndIncrement() == 0) {
              throw new TransientStoreException("answer lost for " + key, null);
            }
            return written;
          }
        };
    try (HeldLease held = Leases.in(flaky, settings()).backup("b1", List.of(), false)) {
      assertThat(lost.get()).as("one write landed; its retry found it").isEqualTo(1);
      assertThat(leases().list()).hasSize(1);
      held.confirm(); // renews on the version it adopted
    }
    assertThat(leases().list()).isEmpty();
  }

  @Test
  void lostLease_everyChangeThroughTheGuardIsRefused_andNothingChanges() throws IOException {
    store.write(ObjectKey.of("b1/kept"), bytes("k"), WriteMode.CREATE_NEW);
    String version = store.stat(ObjectKey.of("b1/kept")).orElseThrow().etag().orElseThrow();
    HeldLease held = leases().backup("b1", List.of("node0"), false);
    ObjectStore guarded = held.guard(store);
    leases().breakLease("backup/b1.json", true);
    assertThatThrownBy(held::confirm).isInstanceOf(LeaseLostException.class);
    List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> changes =
        List.of(
            () -> guarded.write(ObjectKey.of("b1/new"), bytes("n"), WriteMode.CREATE_NEW),
            () ->
                guarded.copy(
                    ObjectKey.of("b1/kept"), ObjectKey.of("b1/copy"), WriteMode.CREATE_NEW),
            () -> guarded.replaceIfVersion(ObjectKey.of("b1/kept"), bytes("x"), version),
            () -> guarded.deleteIfVersion(ObjectKey.of("b1/kept"), version),
            () -> guarded.delete(ObjectKey.of("b1/kept")),
            () -> guarded.removeIncompleteWrites(io.influxbak.store.KeyPrefix.of("b1")));
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable change : changes) {
      assertThatThrownBy(change).isInstanceOf(LeaseLostException.class);
    }
    assertThat(store.bytes(ObjectKey.of("b1/kept"))).hasValue(new byte[] {'k'});
    assertThat(store.stat(ObjectKey.of("b1/new"))).isEmpty();
    assertThat(store.stat(ObjectKey.of("b1/copy"))).isEmpty();
    assertThat(guarded.stat(ObjectKey.of("b1/kept"))).as("reads pass").isPresent();
    held.close();
  }

  @Test
  void backupWaitingForAPrune_keepsItsOwnLeaseRenewed() throws IOException {
    HeldLease prune = leases().prune();
    Leases waiting =
        Leases.in(
            store,
            settings()
                .withMaxWait(Duration.ofMinutes(30))
                .withTime(
                    clock,
                    duration -> {
                      clock.advance(duration);
                      if (sleeps.incrementAndGet() == 60) { // five minutes of polls
                        prune.close();
                      }
                    }));
    Instant start = clock.instant();
    try (HeldLease backup = waiting.backup("b1", List.of("node0"), false)) {
      assertThat(backup.record().until())
          .as("renewed while it waited, so no one took it over")
          .isAfter(start.plus(LEASE).plus(Duration.ofMinutes(3)));
      assertThat(leases().list())
          .singleElement()
          .satisfies(l -> assertThat(l.status()).isEqualTo(LeaseState.Status.FRESH));
    }
  }

  @Test
  void restoreOfSeveralPrefixes_refusedOnOne_givesBackTheOthers() throws IOException {
    try (HeldLease other = leases().restore("r0", List.of(io.influxbak.store.KeyPrefix.of("b")))) {
      assertThatThrownBy(
              () ->
                  leases()
                      .restore(
                          "r1",
                          List.of(
                              io.influxbak.store.KeyPrefix.of("a"),
                              io.influxbak.store.KeyPrefix.of("b"))))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("restore/b.json");
      assertThat(leases().list()).extracting(LeaseState::name).containsExactly("restore/b.json");
    }
  }

  @Test
  void settings_outOfOrder_areRefused() {
    assertThatThrownBy(() -> LeaseSettings.defaults().withDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    LeaseSettings d = LeaseSettings.defaults();
    assertThatThrownBy(
            () ->
                new LeaseSettings(
                    d.duration(),
                    d.duration(),
                    d.takeoverMargin(),
                    d.maxWait(),
                    d.pollEvery(),
                    false,
                    clock,
                    d.sleeper()))
        .hasMessageContaining("shorter than the lease duration");
    assertThatThrownBy(() -> d.withTakeoverMargin(Duration.ofSeconds(-1)))
        .hasMessageContaining("negative takeoverMargin");
    assertThatThrownBy(() -> d.withMaxWait(Duration.ofSeconds(-1)))
        .hasMessageContaining("negative maxWait");
    assertThatThrownBy(
            () ->
                new LeaseSettings(
                    d.duration(),
                    d.renewEvery(),
                    d.takeoverMargin(),
                    d.maxWait(),
                    Duration.ZERO,
                    false,
                    clock,
                    d.sleeper()))
        .hasMessageContaining("pollEvery");
    assertThat(d.withDuration(Duration.ofSeconds(10)).renewEvery())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(d.withTakeoverMargin(Duration.ofSeconds(7)).takeoverMargin())
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void backupId_ofTheLeasePrefix_isRefused() {
    assertThatThrownBy(() -> BackupId.of("influxbak-leases"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("reserved for the leases");
  }

  private static ObjectContent bytes(String text) {
    return ObjectContent.ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
