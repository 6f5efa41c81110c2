package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.pin.ConsistencyPoint;
import io.influxbak.pin.PinLostException;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.InterleavingObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * A pinned backup interleaved, object operation by object operation, with a simulated server that
 * writes WAL files and catalog logs, snapshots, cleans up WAL files, splits snapshots into table
 * snapshots, merges them into table indexes, applies retention through the indexes and rewrites its
 * catalog checkpoint. A deterministic scheduler runs the server between the backup's store calls,
 * including between the pages of a listing. Property: every completed backup passes the consistency
 * check, holds every Parquet file the server still queries from the snapshots up to its pin, and
 * every WAL file after its pin without a gap.
 */
class BusyServerPropertiesTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 300)
  void pinnedBackup_interleavedWithBusyServer_consistentAndHoldsItsPin(
      @ForAll("history") List<Step> before,
      @ForAll("churn") List<Step> during,
      @ForAll("bursts") List<Integer> bursts,
      @ForAll CatalogGeneration era,
      @ForAll long seed)
      throws IOException {
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, era, seed);
    server.queue(before);
    server.drain();
    server.queue(during);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    java.util.concurrent.atomic.AtomicInteger repinsHeard =
        new java.util.concurrent.atomic.AtomicInteger();

    BackupResult result;
    try {
      result =
          pinned("b", repinsHeard::incrementAndGet)
              .execute(scheduled(live, server, bursts), backups);
    } catch (PinLostException e) {
      Statistics.label("outcome").collect("pin lost after bounded re-pins");
      assertThat(BackupRepository.of(backups).readManifest(BackupId.of("b"), 100_000)).isEmpty();
      return;
    }
    Statistics.label("outcome").collect("completed");
    Statistics.label("re-pins").collect(result.repins());
    // The path this property is about, pinning again, ran: about 6% of tries re-pin and complete
    // (18 of 300 expected); fewer than 2% (6) means the churn no longer reaches it.
    Statistics.label("re-pinned and completed").collect(result.repins() > 0);
    // Each round that pinned again was an event for the caller's listener.
    assertThat(repinsHeard.get()).isEqualTo(result.repins());
    Statistics.label("re-pinned and completed")
        .coverage(c -> c.check(true).percentage(p -> p >= 2));
    boolean leftOut =
        result.reported().stream()
            .anyMatch(
                r -> r.kind().derived() && r.disposition() == ReportedObject.Disposition.EXCLUDED);
    Statistics.label("derived objects")
        .collect(
            !derived(backups, "b").isEmpty()
                ? "copied"
                : leftOut ? "left out" : "none at the source");

    ConsistencyReport report = checkAgainstManifest(backups, "b");
    assertThat(report.consistent()).as(report.findings().toString()).isTrue();
    ConsistencyPoint point = result.consistencyPoints().get(0);
    assertThat(report.newestSnapshot()).hasValue(point.snapshotSequence());
    for (Map.Entry<ObjectKey, Integer> file :
        server.liveParquetUpTo(point.snapshotSequence()).entrySet()) {
      assertThat(backups.stat(KeyPrefix.of("b").resolve(file.getKey())))
          .as("live Parquet file %s of pin %s", file.getKey(), point.snapshotSequence())
          .hasValueSatisfying(
              info -> assertThat(info.size()).isEqualTo(file.getValue().longValue()));
    }
    List<Long> walBeyond = new ArrayList<>();
    for (ObjectKey key : StoreKeys.under(backups, KeyPrefix.of("b/" + NODE + "/wal"))) {
      NodeObject wal =
          CoreLayout.of(NODE).classify(ObjectKey.of(key.relativeTo(KeyPrefix.of("b"))));
      if (wal.kind() == ObjectKind.WAL && wal.sequence().getAsLong() > point.walSequence()) {
        walBeyond.add(wal.sequence().getAsLong());
      }
    }
    assertThat(walBeyond).hasSize((int) point.walFilesBeyondPin());
    assertDerivedConsistentWithPin(backups, "b", point.snapshotSequence());
    for (int i = 0; i < walBeyond.size(); i++) {
      assertThat(walBeyond.get(i))
          .as("WAL files after the pin, without a gap")
          .isEqualTo(point.walSequence() + 1 + i);
    }
  }

  @Test
  void pinnedBackup_snapshotLandsAfterTheListingPassedItsParquet_copiesThatParquet()
      throws IOException {
    // The listing passes dbs/0/0/ and dbs/0/1/..., then the server writes a file in dbs/0/0/
    // (behind the
    // listing) and the snapshot naming it (ahead of it, in snapshots/): the pin names a file never
    // listed.
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 0);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT));
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult result =
        pinned("b").execute(scheduled(live, server, List.of(0, 0, 0, 0, 4)), backups);

    assertThat(result.consistencyPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.snapshotSequence()).isEqualTo(2));
    assertThat(backups.stat(ObjectKey.of("b/node0/dbs/0/0/2026-11-25/10-02/0000000002.parquet")))
        .isPresent();
    assertThat(checkAgainstManifest(backups, "b").consistent()).isTrue();
  }

  @Test
  void pinnedBackup_catalogLoggedAfterTheListing_copiedLastAndCoversTheSnapshot()
      throws IOException {
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V1, -3);
    server.queue(List.of(Step.WRITE, Step.WRITE, Step.WRITE, Step.SNAPSHOT));
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult result =
        pinned("b").execute(scheduled(live, server, List.of(0, 0, 1, 5)), backups);

    ConsistencyReport report = checkAgainstManifest(backups, "b");
    assertThat(report.consistent()).as(report.findings().toString()).isTrue();
    assertThat(result.phases().stream().filter(p -> p.phase() == CopyPhase.CATALOG_LOGS))
        .as("the catalog top-up")
        .hasSizeGreaterThan(1);
  }

  @Test
  void pinnedBackup_walAfterThePinDeletedBeforeListed_repinsInsteadOfAGap() throws IOException {
    // While the listing is in wal/, the server snapshots WAL 2 to 4 and deletes WAL 1 and 2: the
    // listing sees
    // snapshot 1 only and WAL 3 and 4, a gap after the pin's WAL 1 that would lose WAL 2's writes.
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V1, 0);
    server.queue(List.of(Step.WRITE));
    server.drain();
    server.queue(List.of(Step.WRITE, Step.WRITE, Step.SNAPSHOT, Step.DELETE_SNAPSHOTTED_WAL));
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult result =
        pinned("b").execute(scheduled(live, server, List.of(0, 0, 0, 0, 0, 0, 6)), backups);

    assertThat(result.consistencyPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.snapshotSequence()).isEqualTo(2);
              assertThat(p.walSequence()).isEqualTo(4);
            });
    assertThat(checkAgainstManifest(backups, "b").consistent()).isTrue();
  }

  @Test
  void pinnedBackup_pendingTableSnapshotLeftOutByDefault_dropsEveryDerivedObject()
      throws IOException {
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult result = pinned("b").execute(tableSnapshotPending(), backups);

    assertThat(derived(backups, "b")).isEmpty();
    assertThat(result.reported())
        .filteredOn(
            r -> r.kind().derived() && r.disposition() == ReportedObject.Disposition.EXCLUDED)
        .isNotEmpty()
        .anySatisfy(r -> assertThat(r.reason()).contains("pending"));
    assertThat(checkAgainstManifest(backups, "b").consistent()).isTrue();
  }

  @Test
  void pinnedBackup_pendingTableSnapshotIncluded_keepsTheDerivedObjects() throws IOException {
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupPlan.core(NODE)
        .withOptions(
            BackupOptions.builder()
                .transfer(TransferSettings.builder().parallelism(1).build())
                .backupId("b")
                .includeTableSnapshots()
                .build())
        .execute(tableSnapshotPending(), backups);

    assertThat(derived(backups, "b").values())
        .extracting(NodeObject::kind)
        .contains(ObjectKind.TABLE_SNAPSHOT, ObjectKind.TABLE_INDEX_CONVERSION_MARKER);
    assertDerivedConsistentWithPin(backups, "b", 1);
  }

  @Test
  void pinnedBackup_serverOutrunsEveryPin_pinLostAfterBoundedRepinsWithoutManifest()
      throws IOException {
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 0);
    server.queue(List.of(Step.WRITE, Step.WRITE, Step.WRITE));
    server.drain();
    // Before every object the backup reads, the server snapshots, deletes the WAL files it
    // persisted but the
    // newest two (so the oldest WAL file after the previous snapshot goes) and writes three WAL
    // files.
    ObjectStore racing =
        new ForwardingObjectStore(live) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            server.queue(
                List.of(
                    Step.SNAPSHOT,
                    Step.DELETE_SNAPSHOTTED_WAL,
                    Step.WRITE,
                    Step.WRITE,
                    Step.WRITE));
            server.drain();
            return super.open(key);
          }
        };
    InMemoryObjectStore backups = new InMemoryObjectStore();

    assertThatThrownBy(() -> pinned("b").execute(racing, backups))
        .isInstanceOf(PinLostException.class)
        .hasMessageContaining("node0/")
        .hasMessageContaining("re-pins");
    assertThat(BackupRepository.of(backups).readManifest(BackupId.of("b"), 100_000)).isEmpty();
  }

  @Test
  void docsNaiveCopy_someInterleavingOfTheSameServer_inconsistentWhilePinnedIsNot()
      throws IOException {
    int naiveInconsistent = 0;
    for (long seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      List<Step> during = randomHistory(random, 12);
      List<Integer> bursts = randomBursts(random, 60);

      InMemoryObjectStore naiveSource = new InMemoryObjectStore();
      SimulatedCoreServer naiveServer =
          new SimulatedCoreServer(naiveSource, NODE, CatalogGeneration.V3, seed);
      naiveServer.queue(randomHistory(new Random(~seed), 10));
      naiveServer.drain();
      naiveServer.queue(during);
      InMemoryObjectStore naive = new InMemoryObjectStore();
      docsCopy(scheduled(naiveSource, naiveServer, bursts), naive, KeyPrefix.of("naive"));
      if (!ConsistencyCheck.check(
              naive, KeyPrefix.of("naive"), NODE, ConsistencyCheck.Source.BACKUP)
          .consistent()) {
        naiveInconsistent++;
      }

      InMemoryObjectStore pinnedSource = new InMemoryObjectStore();
      SimulatedCoreServer pinnedServer =
          new SimulatedCoreServer(pinnedSource, NODE, CatalogGeneration.V3, seed);
      pinnedServer.queue(randomHistory(new Random(~seed), 10));
      pinnedServer.drain();
      pinnedServer.queue(during);
      InMemoryObjectStore pinned = new InMemoryObjectStore();
      try {
        pinned("pinned").execute(scheduled(pinnedSource, pinnedServer, bursts), pinned);
      } catch (PinLostException e) {
        continue; // a clear failure, never an inconsistent backup
      }
      ConsistencyReport report = checkAgainstManifest(pinned, "pinned");
      assertThat(report.consistent()).as("seed %s: %s", seed, report.findings()).isTrue();
    }
    assertThat(naiveInconsistent).as("naive copies that came out inconsistent").isPositive();
  }

  /**
   * Derived objects are all left out, or none is newer than the pin and every Parquet file the
   * backup holds will be in its table's index after a restart: absorbed by the index already,
   * announced by a table snapshot the backup holds, or added by a snapshot above the marker (which
   * the server splits again).
   */
  private static void assertDerivedConsistentWithPin(
      InMemoryObjectStore backups, String backupId, long pin) throws IOException {
    long marker = 0;
    Map<String, Long> indexed = new HashMap<>();
    Set<String> tableSnapshots = new HashSet<>();
    for (Map.Entry<ObjectKey, NodeObject> entry : derived(backups, backupId).entrySet()) {
      JsonNode json =
          JSON.readTree(
              backups.bytes(KeyPrefix.of(backupId).resolve(entry.getKey())).orElseThrow());
      String[] parts = entry.getKey().toString().split("/");
      switch (entry.getValue().kind()) {
        case TABLE_INDEX_CONVERSION_MARKER -> marker = json.get("last_sequence_number").asLong();
        case TABLE_INDEX ->
            indexed.put(
                parts[2] + "/" + parts[3], json.get("latest_snapshot_sequence_number").asLong());
        case TABLE_SNAPSHOT ->
            tableSnapshots.add(
                parts[2] + "/" + parts[3] + "/" + entry.getValue().sequence().getAsLong());
        default -> {}
      }
      assertThat(entry.getValue().sequence().orElse(0))
          .as("%s against pin %s", entry.getKey(), pin)
          .isLessThanOrEqualTo(pin);
    }
    assertThat(marker).as("conversion marker against pin %s", pin).isLessThanOrEqualTo(pin);
    indexed.forEach(
        (table, latest) ->
            assertThat(latest)
                .as("index of %s against pin %s", table, pin)
                .isLessThanOrEqualTo(pin));
    for (long sequence = 1; sequence <= marker; sequence++) {
      Optional<byte[]> snapshot =
          backups.bytes(
              KeyPrefix.of(backupId)
                  .resolve(
                      NODE
                          + "/snapshots/"
                          + SequenceNumbers.invertedName(sequence)
                          + ".info.json"));
      if (snapshot.isEmpty()) {
        continue;
      }
      for (JsonNode database : JSON.readTree(snapshot.get()).get("databases")) {
        for (JsonNode table : database.get(1).get("tables")) {
          String id = database.get(0).asText() + "/" + table.get(0).asText();
          for (JsonNode file : table.get(1)) {
            boolean held =
                backups.stat(KeyPrefix.of(backupId).resolve(file.get("path").asText())).isPresent();
            if (held && sequence > indexed.getOrDefault(id, 0L)) {
              assertThat(tableSnapshots)
                  .as(
                      "%s: its table snapshot, announced by the marker, not yet indexed",
                      file.get("path"))
                  .contains(id + "/" + sequence);
            }
          }
        }
      }
    }
  }

  private static Map<ObjectKey, NodeObject> derived(InMemoryObjectStore backups, String backupId)
      throws IOException {
    Map<ObjectKey, NodeObject> derived = new TreeMap<>();
    for (ObjectKey key : StoreKeys.under(backups, KeyPrefix.of(backupId + "/" + NODE))) {
      NodeObject object =
          CoreLayout.of(NODE).classify(ObjectKey.of(key.relativeTo(KeyPrefix.of(backupId))));
      if (object.kind().derived()) {
        derived.put(object.key(), object);
      }
    }
    return derived;
  }

  /** The consistency check of a backup, told by its manifest what the source lacked. */
  private static ConsistencyReport checkAgainstManifest(ObjectStore store, String backupId)
      throws IOException {
    BackupManifest manifest =
        BackupRepository.of(store).readManifest(BackupId.of(backupId), 100_000).orElseThrow();
    return ConsistencyCheck.checkBackup(
        store, KeyPrefix.of(backupId), NODE, manifest::absentAtSource);
  }

  /**
   * A node whose server, as the backup starts, has split snapshot 1 (marker 1) and merged the index
   * of table 0 only: table 1's table snapshot is pending.
   */
  private static ObjectStore tableSnapshotPending() throws IOException {
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V1, 0);
    server.queue(List.of(Step.SPLIT_SNAPSHOTS, Step.MERGE_INDEXES));
    return scheduled(live, server, List.of(4));
  }

  private static BackupPlan pinned(String backupId) {
    return pinned(backupId, () -> 0);
  }

  /** {@link #pinned(String)}, calling {@code onRepin} at each round that pins again. */
  private static BackupPlan pinned(String backupId, java.util.function.IntSupplier onRepin) {
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void repinned(NodeId node, int round, String reason) {
            assertThat(node).isEqualTo(NODE);
            assertThat(reason).isNotBlank();
            onRepin.getAsInt();
          }
        };
    return BackupPlan.core(NODE)
        .withOptions(
            BackupOptions.builder()
                .transfer(TransferSettings.builder().parallelism(1).progress(listener).build())
                .backupId(backupId)
                .build());
  }

  /** The docs' scripts: each folder as it stands when its turn comes, in the documented order. */
  private static void docsCopy(ObjectStore source, ObjectStore target, KeyPrefix root)
      throws IOException {
    for (String folder : new String[] {"snapshots", "dbs", "wal", "catalog"}) {
      for (ObjectKey key : StoreKeys.under(source, KeyPrefix.of(NODE + "/" + folder))) {
        try (InputStream in = source.open(key)) {
          target.write(
              root.resolve(key), ObjectContent.ofBytes(in.readAllBytes()), WriteMode.CREATE_NEW);
        } catch (ObjectNotFoundException gone) {
          // cp prints "No such file" and carries on
        }
      }
    }
  }

  /**
   * The live store as the backup sees it: before each of its calls, the server takes the next burst
   * of operations.
   */
  private static ObjectStore scheduled(
      ObjectStore live, SimulatedCoreServer server, List<Integer> bursts) {
    Iterator<Integer> next = bursts.iterator();
    return new InterleavingObjectStore(
        live,
        () -> {
          for (int i = next.hasNext() ? next.next() : 0; i > 0 && server.tick(); i--) {
            // the server's operations, one at a time
          }
        });
  }

  private static List<Step> randomHistory(Random random, int length) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      steps.add(Step.values()[random.nextInt(Step.values().length)]);
    }
    return steps;
  }

  private static List<Integer> randomBursts(Random random, int length) {
    List<Integer> bursts = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      bursts.add(random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 0);
    }
    return bursts;
  }

  @Provide
  Arbitrary<List<Step>> history() {
    // Writes and snapshots dominate, as on a real server.
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(Step.WRITE)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.SNAPSHOT)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.DELETE_SNAPSHOTTED_WAL)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.SPLIT_SNAPSHOTS)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.MERGE_INDEXES)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.RETENTION)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CATALOG_CHECKPOINT)))
        .list()
        .ofMaxSize(16);
  }

  /**
   * What the server does while the backup runs: many snapshots, each persisting WAL files that
   * cleanup then deletes and letting retention delete Parquet files an earlier pin needed, so that
   * backups must pin again.
   */
  @Provide
  Arbitrary<List<Step>> churn() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.WRITE)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.SNAPSHOT)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.DELETE_SNAPSHOTTED_WAL)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.RETENTION)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.SPLIT_SNAPSHOTS)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.MERGE_INDEXES)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CATALOG_CHECKPOINT)))
        .list()
        .ofMinSize(8)
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<Integer>> bursts() {
    // How many server operations run at each yield point of the backup: mostly none, sometimes a
    // few.
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 3)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(4, 20)))
        .list()
        .ofMaxSize(120);
  }
}
