package io.influxbak.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.InternalFraming;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.MappedListing;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.CancellationHandle;
import io.influxbak.transfer.OperationCancelledException;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.RetryPolicy.Sleeper;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.VerifyFinding.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.io.input.BoundedInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shallow and deep verify, and the framing checks against real InfluxDB files. */
class BackupVerifierTest {
  private final GeneratedNode node =
      CoreNodeArbitraries.build(
          NodeId.of("node0"),
          2,
          2,
          4,
          3,
          List.of(CatalogGeneration.V1, CatalogGeneration.V2, CatalogGeneration.V3),
          1,
          5);
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final BackupResult backup;

  BackupVerifierTest() throws IOException {
    node.writeTo(store);
    backup =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(store, store);
  }

  @Test
  void intactBackup_shallowReadsNoDataAndDeepPasses() throws IOException {
    TrackingObjectStore tracking = new TrackingObjectStore(store);

    VerifyReport shallow = BackupVerifier.shallow(tracking, "b");
    long readByShallow = tracking.bytesRead();
    VerifyReport deep = BackupVerifier.deep(store, "b", 4);

    assertThat(shallow.passed()).as(shallow.findings().toString()).isTrue();
    assertThat(shallow.objectsChecked()).isEqualTo(backup.objectCount());
    assertThat(readByShallow).isLessThan(backup.byteCount() / 2); // only the manifest is read
    assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
    assertThat(deep.bytesRead()).isEqualTo(backup.byteCount());
  }

  @Test
  void shallow_saysWhatItCompared_intactOnlyWhenEveryObjectsContentWas() throws IOException {
    VerifyReport withChecksums = BackupVerifier.shallow(store, "b");
    ObjectStore withoutOne =
        new ForwardingObjectStore(store) {
          final ObjectKey stripped = KeyPrefix.of("b").resolve(backup.objects().get(0).key());

          @Override
          public io.influxbak.store.ObjectIterator list(KeyPrefix prefix) throws IOException {
            return new MappedListing(super.list(prefix), this::strip);
          }

          @Override
          public java.util.Optional<io.influxbak.store.ObjectInfo> stat(ObjectKey key)
              throws IOException {
            return super.stat(key).map(this::strip);
          }

          /** As if this one object had been overwritten without a CRC32C. */
          private io.influxbak.store.ObjectInfo strip(io.influxbak.store.ObjectInfo info) {
            return info.key().equals(stripped)
                ? io.influxbak.store.ObjectInfo.of(info.key(), info.size())
                : info;
          }
        };

    VerifyReport oneWithout = BackupVerifier.shallow(withoutOne, "b");

    assertThat(withChecksums.intact()).isTrue();
    assertThat(withChecksums.contentCompared()).isEqualTo(backup.objectCount());
    assertThat(withChecksums.contentNotCompared()).isEmpty();
    assertThat(oneWithout.passed()).as("nothing wrong found").isTrue();
    assertThat(oneWithout.intact()).as("but not every content compared").isFalse();
    assertThat(oneWithout.contentNotCompared())
        .containsExactly(
            java.util.Map.entry("the store holds no CRC32C for it (written without one)", 1L));
    assertThat(oneWithout.contentCompared()).isEqualTo(backup.objectCount() - 1);
    assertThat(BackupVerifier.deep(withoutOne, "b", 2).intact()).isTrue();
  }

  @Test
  void deep_readsCutShortOnce_retriedPerTheSettingsAndPass() throws IOException {
    Set<ObjectKey> cut = ConcurrentHashMap.newKeySet();
    ObjectStore flaky =
        new ForwardingObjectStore(store) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            InputStream whole = super.open(key);
            if (!key.equals(KeyPrefix.of("b").resolve(ManifestFormat.FILE_NAME)) && cut.add(key)) {
              return BoundedInputStream.builder().setInputStream(whole).setMaxCount(1).get();
            }
            return whole;
          }
        };
    RetryPolicy retryAtOnce = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Sleeper.REAL);

    VerifyReport retried =
        BackupVerifier.deep(
            flaky, BackupId.of("b"), TransferSettings.builder().retryPolicy(retryAtOnce).build());
    cut.clear();
    VerifyReport once =
        BackupVerifier.deep(
            flaky,
            BackupId.of("b"),
            TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build());

    assertThat(retried.passed()).as(retried.findings().toString()).isTrue();
    assertThat(cut)
        .as("objects whose first read was cut short")
        .hasSize((int) backup.objectCount());
    assertThat(once.findings())
        .as("without retries every cut read is a finding")
        .hasSize((int) backup.objectCount())
        .allMatch(f -> f.problem() == Problem.SIZE_MISMATCH);
  }

  @Test
  void deep_listingFailsWhileReading_throwsAndNoReadOutlivesTheCall() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    CountDownLatch firstRead = new CountDownLatch(1);
    CountDownLatch listingFailed = new CountDownLatch(1);
    ObjectStore unlistable =
        new ForwardingObjectStore(store) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            if (key.toString().startsWith("b/node0/") && opens.incrementAndGet() == 1) {
              firstRead.countDown();
              await(listingFailed); // a read is in flight when the listing fails
            }
            return super.open(key);
          }

          @Override
          public io.influxbak.store.ObjectIterator list(KeyPrefix prefix) throws IOException {
            if (prefix.equals(KeyPrefix.of("b"))) {
              await(firstRead);
              listingFailed.countDown();
              throw new IOException("listing of " + prefix + " refused");
            }
            return super.list(prefix);
          }
        };
    // The caller's executor, one thread. The first read runs at once; every later one only once
    // the verify's thread waits (parked) for the reads it submitted, which it does after giving up
    // on them when the listing failed: a later read that opens anything was not abandoned. No
    // waiting on time, so the count of reads is exact, not a race.
    Thread caller = Thread.currentThread();
    AtomicInteger started = new AtomicInteger();
    java.util.concurrent.ExecutorService thread =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.Executor reads =
        task ->
            thread.execute(
                () -> {
                  if (started.incrementAndGet() > 1) {
                    awaitWaiting(caller);
                  }
                  task.run();
                });
    TransferSettings settings = TransferSettings.builder().parallelism(1).executor(reads).build();

    assertThatThrownBy(() -> BackupVerifier.deep(unlistable, BackupId.of("b"), settings))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("listing of b/ refused");
    int atThrow = opens.get();
    thread.shutdown();
    assertThat(thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(atThrow).as("reads had started").isPositive();
    assertThat(opens.get()).as("no read started after the verify threw").isEqualTo(atThrow);
    assertThat(atThrow)
        .as("the reads not yet started were abandoned")
        .isLessThan((int) backup.objectCount() / 2);
  }

  /** Waits until {@code thread} waits (parked) or has ended, at most 10 s. */
  private static void awaitWaiting(Thread thread) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TERMINATED
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** Waits for {@code latch}, at most 10 s (a test that hangs says less than one that fails). */
  private static void await(CountDownLatch latch) throws IOException {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new java.io.InterruptedIOException();
    }
  }

  @Test
  void cancelled_shallowAndDeepThrowInsteadOfReportingPartialResult() {
    CancellationHandle cancellation = new CancellationHandle();
    cancellation.cancel();
    TransferSettings cancelled = TransferSettings.builder().cancellation(cancellation).build();

    assertThatThrownBy(() -> BackupVerifier.shallow(store, BackupId.of("b"), cancelled))
        .isInstanceOf(OperationCancelledException.class);
    assertThatThrownBy(() -> BackupVerifier.deep(store, BackupId.of("b"), cancelled))
        .isInstanceOf(OperationCancelledException.class);
  }

  @Test
  void damagedBackup_everyProblemReportedByBoth() throws IOException {
    ObjectKey missing = key(ObjectKind.WAL, 0);
    ObjectKey resized = key(ObjectKind.PARQUET, 0);
    ObjectKey flipped = key(ObjectKind.PARQUET, 1);
    ObjectKey extra = ObjectKey.of("b/node0/wal/00000777777.wal");
    store.delete(missing);
    store.write(resized, ObjectContent.ofBytes(new byte[] {1, 2, 3}), WriteMode.REPLACE);
    byte[] bytes = store.bytes(flipped).orElseThrow();
    bytes[bytes.length / 2] ^= 0x40; // same size, other content
    store.write(flipped, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
    store.write(extra, ObjectContent.ofBytes(new byte[] {9}), WriteMode.CREATE_NEW);

    for (VerifyReport report :
        List.of(BackupVerifier.shallow(store, "b"), BackupVerifier.deep(store, "b", 4))) {
      assertThat(report.passed()).isFalse();
      assertThat(report.findings())
          .extracting(VerifyFinding::key, VerifyFinding::problem)
          .contains(
              org.assertj.core.groups.Tuple.tuple(missing, Problem.MISSING),
              org.assertj.core.groups.Tuple.tuple(resized, Problem.SIZE_MISMATCH),
              org.assertj.core.groups.Tuple.tuple(flipped, Problem.CHECKSUM_MISMATCH),
              org.assertj.core.groups.Tuple.tuple(extra, Problem.EXTRA));
    }
  }

  @Test
  void walCorruptBeforeTheBackup_caughtByDeepFraming() throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    ObjectKey wal = node.keysOf(java.util.Set.of(ObjectKind.WAL)).iterator().next();
    byte[] corrupt = source.bytes(wal).orElseThrow();
    corrupt[corrupt.length - 1] ^= 0x01; // payload no longer matches the CRC in its header
    source.write(wal, ObjectContent.ofBytes(corrupt), WriteMode.REPLACE);
    ObjectKey emptyWal = ObjectKey.of("node0/wal/00000099999.wal");
    source.write(emptyWal, ObjectContent.ofBytes(new byte[0]), WriteMode.CREATE_NEW);
    BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().backupId("c").build())
        .execute(source, source);

    VerifyReport shallow = BackupVerifier.shallow(source, "c");
    VerifyReport deep = BackupVerifier.deep(source, "c", 2);

    assertThat(shallow.passed())
        .isTrue(); // a faithful copy of a corrupt file: only the framing tells
    assertThat(deep.findings())
        .extracting(VerifyFinding::key, VerifyFinding::problem)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ObjectKey.of("c/" + wal), Problem.BAD_FRAMING),
            org.assertj.core.groups.Tuple.tuple(
                ObjectKey.of("c/" + emptyWal), Problem.BAD_FRAMING));
    assertThat(deep.findings()).anySatisfy(f -> assertThat(f.detail()).contains("zero-byte"));
  }

  /** Deep verify compares SHA-256 too: a manifest whose SHA-256 alone differs is caught. */
  @Test
  void deep_sha256DiffersFromTheManifest_foundThoughCrcAndSizeMatch() throws IOException {
    ObjectKey victim = key(ObjectKind.PARQUET, 0);
    String relative = victim.relativeTo(KeyPrefix.of("b"));
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    ObjectKey manifestKey = ObjectKey.of("b/" + ManifestFormat.FILE_NAME);
    com.fasterxml.jackson.databind.JsonNode root =
        json.readTree(store.bytes(manifestKey).orElseThrow());
    for (com.fasterxml.jackson.databind.JsonNode object : root.get("objects")) {
      if (object.get("key").asText().equals(relative)) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) object).put("sha256", "00".repeat(32));
      }
    }
    store.write(
        manifestKey, ObjectContent.ofBytes(json.writeValueAsBytes(root)), WriteMode.REPLACE);

    VerifyReport shallow = BackupVerifier.shallow(store, "b");
    VerifyReport deep = BackupVerifier.deep(store, "b", 2);

    assertThat(shallow.passed()).as("size and CRC32C match").isTrue();
    assertThat(deep.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo(victim);
              assertThat(f.problem()).isEqualTo(Problem.CHECKSUM_MISMATCH);
              assertThat(f.detail()).contains("SHA-256");
            });
  }

  /** Findings come sorted by key whatever order the reads finished in. */
  @Test
  void deep_findingsSortedByKey() throws IOException {
    for (ObjectKind kind : List.of(ObjectKind.SNAPSHOT, ObjectKind.WAL, ObjectKind.PARQUET)) {
      ObjectKey victim = key(kind, 0);
      byte[] bytes = store.bytes(victim).orElseThrow();
      bytes[bytes.length - 1] ^= 1;
      store.write(victim, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
    }

    VerifyReport deep = BackupVerifier.deep(store, "b", 1);

    assertThat(deep.findings()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(deep.findings().stream().map(VerifyFinding::key).toList()).isSorted();
    assertThatThrownBy(() -> BackupVerifier.deep(store, "b", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parallelism must be positive: 0");
  }

  /** A store that gives CRC32C on a stat but not in listings: shallow verify stats for it. */
  @Test
  void shallow_listingWithoutChecksums_comparesTheStatsChecksum() throws IOException {
    ObjectStore listingWithoutChecksums =
        new ForwardingObjectStore(store) {
          @Override
          public io.influxbak.store.ObjectIterator list(KeyPrefix prefix) throws IOException {
            return new MappedListing(
                super.list(prefix),
                info -> io.influxbak.store.ObjectInfo.of(info.key(), info.size()));
          }
        };

    VerifyReport intact = BackupVerifier.shallow(listingWithoutChecksums, "b");
    ObjectKey flipped = key(ObjectKind.PARQUET, 0);
    byte[] bytes = store.bytes(flipped).orElseThrow();
    bytes[0] ^= 1;
    store.write(flipped, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
    VerifyReport damaged = BackupVerifier.shallow(listingWithoutChecksums, "b");

    assertThat(intact.intact()).as(intact.contentNotCompared().toString()).isTrue();
    assertThat(intact.contentCompared()).isEqualTo(backup.objectCount());
    assertThat(damaged.findings())
        .extracting(VerifyFinding::key, VerifyFinding::problem)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(flipped, Problem.CHECKSUM_MISMATCH));
  }

  /**
   * A manifest that cannot be read for a transient reason is an error to retry, not a verdict; one
   * that is not a manifest is a verdict.
   */
  @Test
  void manifestUnreadable_transientThrownAndMalformedReported() throws IOException {
    ObjectKey manifestKey = ObjectKey.of("b/" + ManifestFormat.FILE_NAME);
    ObjectStore throttled =
        new ForwardingObjectStore(store) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            if (key.equals(manifestKey)) {
              throw new io.influxbak.store.TransientStoreException(
                  "Cannot read " + key + ": 503 SlowDown", null);
            }
            return super.open(key);
          }
        };
    assertThatThrownBy(() -> BackupVerifier.shallow(throttled, "b"))
        .isInstanceOf(io.influxbak.store.TransientStoreException.class);

    store.write(
        manifestKey,
        ObjectContent.ofBytes("{\"not\": \"a manifest\"".getBytes(StandardCharsets.UTF_8)),
        WriteMode.REPLACE);
    VerifyReport malformed = BackupVerifier.shallow(store, "b");
    assertThat(malformed.passed()).isFalse();
    assertThat(malformed.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.problem()).isEqualTo(Problem.UNREADABLE);
              assertThat(f.key()).isEqualTo(manifestKey);
              assertThat(f.detail()).startsWith("the manifest does not read here");
            });
  }

  @Test
  void noManifest_reportedNotThrown() throws IOException {
    store.delete(ObjectKey.of("b/manifest.json"));
    VerifyReport report = BackupVerifier.deep(store, "b", 2);
    assertThat(report.passed()).isFalse();
    assertThat(report.deep()).isTrue();
    assertThat(BackupVerifier.shallow(store, "b").deep()).isFalse();
    assertThat(report.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.problem()).isEqualTo(Problem.NO_MANIFEST));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v3.0/node30/_catalog_checkpoint",
        "v3.0/node30/catalogs/00000000000000000001.catalog",
        "v3.4/node34/catalog/v2/snapshot",
        "v3.4/node34/catalog/v2/logs/00000000000000000002.catalog"
      })
  void framing_realCatalogFiles_sound(String fixture) throws IOException {
    byte[] file = fixture(fixture);
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_LOG, file)).isEmpty();
    file[file.length - 2] ^= 0x20;
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_LOG, file))
        .hasValueSatisfying(p -> assertThat(p).contains("CRC32"));
  }

  @Test
  void framing_walAndV3Catalog_checkedAndCorruptionNamed() {
    byte[] wal = InfluxFiles.wal("batch".getBytes(StandardCharsets.UTF_8));
    assertThat(InternalFraming.problem(ObjectKind.WAL, wal)).isEmpty();
    assertThat(InternalFraming.problem(ObjectKind.WAL, java.util.Arrays.copyOf(wal, 10)))
        .hasValueSatisfying(p -> assertThat(p).contains("shorter"));
    byte[] v3 =
        InfluxFiles.catalogV3(
            true, UUID.randomUUID(), 7, "records".getBytes(StandardCharsets.UTF_8));
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_CHECKPOINT, v3)).isEmpty();
    byte[] badHeader = v3.clone();
    badHeader[0x20] ^= 1; // the sequence number, covered by the header CRC
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_CHECKPOINT, badHeader))
        .hasValueSatisfying(p -> assertThat(p).contains("header CRC32"));
    byte[] badPayload = v3.clone();
    badPayload[70] ^= 1;
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_CHECKPOINT, badPayload))
        .hasValueSatisfying(p -> assertThat(p).contains("payload CRC32"));
    assertThat(
            InternalFraming.problem(
                ObjectKind.CATALOG_LOG, "garbage!!!!!!!!".getBytes(StandardCharsets.UTF_8)))
        .hasValueSatisfying(p -> assertThat(p).contains("unknown"));
  }

  private ObjectKey key(ObjectKind kind, int index) {
    return backup
        .backupRoot()
        .resolve(
            backup.objects().stream()
                .filter(o -> o.kind() == kind)
                .skip(index)
                .findFirst()
                .orElseThrow()
                .key());
  }

  private static byte[] fixture(String path) throws IOException {
    try (InputStream in =
        BackupVerifierTest.class.getResourceAsStream("/fixtures/upstream/" + path)) {
      assertThat(in).isNotNull();
      return in.readAllBytes();
    }
  }
}
