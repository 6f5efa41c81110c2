package io.influxbak.task;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.backup.testing.ManifestObjects;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestException;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Backups and restores whose copies an engine makes, through the public task API alone: every task
 * and report crosses the engine as text, and each task opens its stores from their locations.
 */
class EngineCopyTest {
  private static final NodeId NODE = NodeId.of("node0");

  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore oneProcess = new InMemoryObjectStore();
  private final InMemoryObjectStore distributed = new InMemoryObjectStore();
  private final StoreLocation liveAt = MemoryStoreProvider.register(live);
  private final StoreLocation distributedAt = MemoryStoreProvider.register(distributed);

  /**
   * Runs each task as an engine would: decoded from text, run, its report encoded; tries a task
   * again after an attempt that threw; {@code lose} may drop a report (a killed executor whose task
   * had done its work).
   */
  private static final class TextEngine implements CopyEngine {
    final List<String> tasksRun = new ArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final Map<String, Integer> attemptsByTask = new ConcurrentHashMap<>();
    UnaryOperator<List<TaskReport>> tamper = UnaryOperator.identity();
    int loseFirstAttemptOfTask = -1;

    @Override
    public List<TaskReport> runAll(List<CopyTask> tasks) throws IOException {
      List<TaskReport> reports = new ArrayList<>();
      for (CopyTask task : tasks) {
        String text = task.encode();
        for (int attempt = 0; ; attempt++) {
          attempts.incrementAndGet();
          CopyTask decoded = CopyTask.decode(text);
          attemptsByTask.merge(decoded.name(), 1, Integer::sum);
          TaskReport report = decoded.run(attempt);
          if (attempt == 0 && tasksRun.size() == loseFirstAttemptOfTask) {
            continue; // the executor died after the work, before its report reached the driver
          }
          tasksRun.add(decoded.name());
          reports.add(TaskReport.decode(report.encode()));
          break;
        }
      }
      return tamper.apply(reports);
    }
  }

  private void serve(List<Step> history, long seed) throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, seed);
    server.queue(history);
    server.drain();
  }

  private static BackupPlan plan(String id, BackupOptions.Builder options) {
    return BackupPlan.core(NODE).withOptions(options.backupId(id).build());
  }

  private static BackupManifest manifest(InMemoryObjectStore store, String id) throws IOException {
    return BackupRepository.of(store).readManifest(BackupId.of(id), 1_000_000).orElseThrow();
  }

  private static List<String> objects(BackupManifest manifest) {
    return ManifestObjects.lines(manifest);
  }

  @Test
  void backup_throughAnEngine_listsWhatOneProcessLists_andRestoresByteForByte() throws IOException {
    serve(BackupScenarios.HISTORY, 3);
    TextEngine engine = new TextEngine();

    plan("b1", BackupOptions.builder()).execute(live, oneProcess);
    BackupResult result =
        plan("b1", BackupOptions.builder()).execute(liveAt, distributedAt, engine);

    assertThat(engine.tasksRun).isNotEmpty();
    assertThat(result.objectCount()).isEqualTo(manifest(distributed, "b1").entries().size());
    assertThat(objects(manifest(distributed, "b1")))
        .isNotEmpty()
        .containsExactlyElementsOf(objects(manifest(oneProcess, "b1")));
    assertThat(StoreKeys.under(distributed, KeyPrefix.of("b1/journal")))
        .as("the journal goes once the manifest is written")
        .isEmpty();

    InMemoryObjectStore target = new InMemoryObjectStore();
    TextEngine restoring = new TextEngine();
    RestoreResult restored =
        RestorePlan.of("b1")
            .execute(distributedAt, MemoryStoreProvider.register(target), restoring);
    assertThat(restoring.tasksRun).isNotEmpty();
    assertThat(restored.consistent()).isTrue();
    Map<ObjectKey, byte[]> want = expected(live, manifest(distributed, "b1"));
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
        .containsExactlyInAnyOrderElementsOf(want.keySet());
    want.forEach((key, bytes) -> assertThat(target.bytes(key)).as("%s", key).contains(bytes));
  }

  @Test
  void incrementalGzipBackup_throughAnEngine_reusesOnTheDriver_likeOneProcess() throws IOException {
    serve(BackupScenarios.HISTORY, 5);
    TextEngine engine = new TextEngine();
    BackupOptions.Builder gzip = BackupOptions.builder().compression(Compression.gzip());
    plan("g1", gzip).execute(live, oneProcess);
    plan("g1", BackupOptions.builder().compression(Compression.gzip()))
        .execute(liveAt, distributedAt, engine);
    serve(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE), 6);
    plan("g2", BackupOptions.builder()).execute(live, oneProcess);
    int tasksBefore = engine.tasksRun.size();
    BackupResult second =
        plan("g2", BackupOptions.builder()).execute(liveAt, distributedAt, engine);

    assertThat(second.reusedObjectCount()).isPositive();
    assertThat(objects(manifest(distributed, "g1")))
        .anyMatch(line -> line.contains(" GZIP "))
        .containsExactlyElementsOf(objects(manifest(oneProcess, "g1")));
    assertThat(objects(manifest(distributed, "g2")))
        .anyMatch(line -> line.endsWith(" g1"))
        .containsExactlyElementsOf(objects(manifest(oneProcess, "g2")));
    long shippedSecond = engine.tasksRun.subList(tasksBefore, engine.tasksRun.size()).size();
    assertThat(shippedSecond).as("tasks of the incremental").isPositive();
  }

  @Test
  void taskWhoseReportWasLost_runsAgain_replacingItsCopies_noDuplicateNoGap() throws IOException {
    serve(BackupScenarios.HISTORY, 7);
    TextEngine engine = new TextEngine();
    engine.loseFirstAttemptOfTask = 1;
    plan("r1", BackupOptions.builder()).execute(live, oneProcess);

    plan("r1", BackupOptions.builder()).execute(liveAt, distributedAt, engine);

    assertThat(engine.attemptsByTask.values()).as("a task ran twice").contains(2);
    assertThat(engine.attempts.get()).isEqualTo(engine.tasksRun.size() + 1);
    assertThat(objects(manifest(distributed, "r1")))
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(objects(manifest(oneProcess, "r1")));
  }

  @Test
  void engineReportingAnObjectTwiceOrNotAtAll_failsTheBackup_namingIt_withNoManifest()
      throws IOException {
    serve(BackupScenarios.HISTORY, 9);
    TextEngine doubling = new TextEngine();
    doubling.tamper =
        reports -> {
          List<TaskReport> out = new ArrayList<>(reports);
          out.add(reports.get(0));
          return out;
        };
    assertThatThrownBy(
            () -> plan("d1", BackupOptions.builder()).execute(liveAt, distributedAt, doubling))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining("reported it 2 times");
    assertThat(distributed.bytes(ObjectKey.of("d1/manifest.json"))).isEmpty();

    TextEngine dropping = new TextEngine();
    dropping.tamper =
        reports ->
            reports.stream()
                .map(
                    r ->
                        new TaskReport(
                            r.task(),
                            r.copied().subList(1, r.copied().size()),
                            r.vanished(),
                            r.failed()))
                .toList();
    assertThatThrownBy(
            () -> plan("d2", BackupOptions.builder()).execute(liveAt, distributedAt, dropping))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining("the engine reported nothing for it");
    assertThat(distributed.bytes(ObjectKey.of("d2/manifest.json"))).isEmpty();
  }

  @Test
  void failedJob_resumesLikeAnyBackup_keepingWhatTheTasksJournalled() throws IOException {
    serve(BackupScenarios.HISTORY, 11);
    AtomicInteger phases = new AtomicInteger();
    TextEngine inner = new TextEngine();
    CopyEngine diesInThirdPhase =
        tasks -> {
          if (phases.incrementAndGet() == 3) {
            throw new IOException("job aborted: executors lost");
          }
          return inner.runAll(tasks);
        };
    assertThatThrownBy(
            () ->
                plan("j1", BackupOptions.builder())
                    .execute(liveAt, distributedAt, diesInThirdPhase))
        .hasMessageContaining("executors lost");
    assertThat(StoreKeys.under(distributed, KeyPrefix.of("j1/journal")))
        .as("the tasks' journal chunks")
        .isNotEmpty()
        .allMatch(key -> key.name().startsWith("task-"));

    BackupResult resumed =
        plan("j1", BackupOptions.builder().resume("j1"))
            .execute(liveAt, distributedAt, new TextEngine());
    plan("j1", BackupOptions.builder()).execute(live, oneProcess);

    assertThat(resumed.resumedObjects()).isPositive();
    assertThat(objects(manifest(distributed, "j1")))
        .containsExactlyElementsOf(objects(manifest(oneProcess, "j1")));
  }

  @Test
  void encryptedBackup_isRefusedBeforeAnythingIsWritten() throws IOException {
    serve(BackupScenarios.HISTORY, 13);
    BackupOptions encrypted =
        BackupOptions.builder().backupId("e1").encryption(LocalKey.generate()).build();
    assertThatThrownBy(
            () ->
                BackupPlan.core(NODE)
                    .withOptions(encrypted)
                    .execute(liveAt, distributedAt, new TextEngine()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data key");
    assertThat(distributed.size()).isZero();
  }

  @Test
  void task_andReport_travelAsText_andReadBackEqual() throws IOException {
    CopyStep step =
        new CopyStep(ObjectKey.of("node0/wal/00000000001.wal"), ObjectKind.WAL, CopyPhase.WAL, 7);
    CopyTask task =
        new CopyTask(
            "task-x-wal-0",
            CopyPhase.WAL,
            new CopyJob(
                "backup of node0",
                StoreLocation.of(
                    java.net.URI.create("s3://bucket/p"), Map.of("s3.region", "env:REGION")),
                distributedAt,
                KeyPrefix.of("b9/"),
                new CopyJob.Settings(
                    WriteMode.CREATE_IN_CLAIMED_ROOT,
                    Hashes.CRC32C_AND_SHA256,
                    Compression.gzip().level(6),
                    RetryPolicy.DEFAULT,
                    8,
                    true),
                Optional.empty()),
            ImmutableList.of(
                new TaskStep(
                    step,
                    ObjectKey.of("b8/node0/wal/00000000001.wal.gz"),
                    Encoding.GZIP,
                    Optional.of(ExpectedContent.ofSize(7)))));

    CopyTask decoded = CopyTask.decode(task.encode());

    assertThat(decoded.name()).isEqualTo(task.name());
    assertThat(decoded.steps()).isEqualTo(task.steps());
    assertThat(decoded.job().source()).isEqualTo(task.job().source());
    assertThat(decoded.job().destinationRoot()).isEqualTo(task.job().destinationRoot());
    assertThat(decoded.job().settings().compression()).isEqualTo(Compression.gzip().level(6));
    assertThat(decoded.job().settings().retry().maxAttempts())
        .isEqualTo(RetryPolicy.DEFAULT.maxAttempts());
    assertThat(task.job().source().toString())
        .as("a location names its settings' keys, never their values")
        .contains("s3.region")
        .doesNotContain("env:REGION");
    assertThatThrownBy(() -> CopyTask.decode("{\"name\":\"t1\"}"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("copy task t1");
    assertThatThrownBy(() -> TaskReport.decode("not json"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("task report");
  }
}
