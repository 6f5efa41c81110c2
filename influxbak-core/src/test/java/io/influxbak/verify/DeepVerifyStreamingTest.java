package io.influxbak.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.VerifyFinding.Problem;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Deep verify reads objects while its manifest is still being read, and what those reads found
 * counts only for a manifest that reads whole: progress hears the totals first, and a manifest
 * refused part-way is the verdict, with no read outliving the call.
 */
class DeepVerifyStreamingTest {
  private static final ObjectKey MANIFEST = ObjectKey.of("b/" + ManifestFormat.FILE_NAME);

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final BackupResult backup;

  DeepVerifyStreamingTest() throws IOException {
    CoreNodeArbitraries.build(NodeId.of("node0"), 2, 2, 4, 3, List.of(CatalogGeneration.V3), 1, 5)
        .writeTo(store);
    backup =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(store, store);
  }

  @Test
  void deep_readsObjectsBeforeTheManifestIsReadWhole() throws IOException {
    CountDownLatch objectOpened = new CountDownLatch(1);
    AtomicBoolean openedBeforeManifestEnd = new AtomicBoolean();
    ObjectStore slowManifest =
        new ForwardingObjectStore(store) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            if (key.equals(MANIFEST)) {
              return new HeldBeforeItsEnd(super.open(key), objectOpened, openedBeforeManifestEnd);
            }
            if (key.toString().startsWith("b/node0/")) {
              objectOpened.countDown();
            }
            return super.open(key);
          }
        };
    List<String> events = Collections.synchronizedList(new ArrayList<>());

    VerifyReport report =
        BackupVerifier.deep(
            slowManifest,
            BackupId.of("b"),
            TransferSettings.builder().parallelism(2).progress(recording(events)).build());

    assertThat(report.passed()).isTrue();
    assertThat(report.objectsChecked()).isEqualTo(backup.objectCount());
    assertThat(openedBeforeManifestEnd)
        .as("an object was read while the manifest's last bytes were held back")
        .isTrue();
    assertThat(events).first().asString().startsWith("started " + backup.objectCount());
    assertThat(events)
        .filteredOn(e -> e.startsWith("read "))
        .as("every read told once, by the key it read, those that ended early too")
        .hasSize((int) backup.objectCount())
        .doesNotHaveDuplicates()
        .allSatisfy(e -> assertThat(e).startsWith("read b/node0/"));
  }

  @Test
  void deep_manifestRefusedPartWay_isTheVerdictAndItsReadsCountForNothing() throws Exception {
    String manifest =
        new String(store.open(MANIFEST).readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    int firstObject = manifest.indexOf('{', manifest.indexOf("\"objects\""));
    int firstEnd = manifest.indexOf('}', firstObject) + 1;
    String repeated = // the first object again at the end: refused only once read whole
        manifest.substring(0, manifest.lastIndexOf(']'))
            + ","
            + manifest.substring(firstObject, firstEnd)
            + "]}";
    store.write(
        MANIFEST,
        ObjectContent.ofBytes(repeated.getBytes(StandardCharsets.UTF_8)),
        WriteMode.REPLACE);
    AtomicInteger opens = new AtomicInteger();
    ObjectStore counting =
        new ForwardingObjectStore(store) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            if (key.toString().startsWith("b/node0/")) {
              opens.incrementAndGet();
            }
            return super.open(key);
          }
        };
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    // Reads submitted while the manifest streams run only once the verify's thread waits: for
    // them, after it refused the manifest, or, had it not waited for them, after it returned. Each
    // then either sees the verify abandon it or opens its object. No waiting on time.
    Thread caller = Thread.currentThread();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    Executor afterTheCallerWaits =
        task ->
            thread.execute(
                () -> {
                  awaitWaiting(caller);
                  task.run();
                });

    VerifyReport report =
        BackupVerifier.deep(
            counting,
            BackupId.of("b"),
            TransferSettings.builder()
                .parallelism(1)
                .executor(afterTheCallerWaits)
                .progress(recording(events))
                .build());
    thread.shutdown();
    assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(report.passed()).isFalse();
    assertThat(report.deep()).as("the verdict of the deep verify asked for").isTrue();
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.problem()).isEqualTo(Problem.UNREADABLE);
              assertThat(f.detail()).contains("is listed twice");
            });
    assertThat(events).as("no progress for the reads of a refused manifest").isEmpty();
    assertThat(opens.get()).as("objects of the refused manifest read").isZero();
  }

  /** Waits until {@code thread} waits (parked, with or without a timeout), at most 10 s. */
  private static void awaitWaiting(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private static ProgressListener recording(List<String> events) {
    return new ProgressListener() {
      @Override
      public void readsStarted(long objects, long bytes) {
        events.add("started " + objects);
      }

      @Override
      public void objectRead(ObjectKey key, long bytes) {
        events.add("read " + key);
      }
    };
  }

  /**
   * A manifest served a few bytes a read, its last two bytes (the end of its objects array and of
   * the manifest) held back until an object is opened, at most 10 s: without reads that start while
   * it streams, they never come sooner.
   */
  private static final class HeldBeforeItsEnd extends FilterInputStream {
    private final byte[] bytes;
    private final CountDownLatch objectOpened;
    private final AtomicBoolean openedBeforeEnd;
    private int position;

    HeldBeforeItsEnd(InputStream in, CountDownLatch objectOpened, AtomicBoolean openedBeforeEnd)
        throws IOException {
      super(in);
      this.bytes = in.readAllBytes();
      this.objectOpened = objectOpened;
      this.openedBeforeEnd = openedBeforeEnd;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int tail = bytes.length - 2;
      if (position == tail) {
        try {
          openedBeforeEnd.set(objectOpened.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }
      if (position >= bytes.length) {
        return -1;
      }
      int end = position < tail ? Math.min(tail, position + Math.min(length, 64)) : bytes.length;
      int n = Math.min(length, end - position);
      System.arraycopy(bytes, position, buffer, offset, n);
      position += n;
      return n;
    }
  }
}
