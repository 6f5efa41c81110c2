package io.influxbak.verify;

import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.Listeners;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.TransferSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The reads of a deep verify, started while its manifest is still being parsed (on a cold JVM the
 * manifest of 20,000 objects took a tenth of the verify when the reads waited for it): one read an
 * entry on the settings' executor, their findings gathered, and progress told only once the
 * manifest's totals are known ({@link #started}), reads that ended before held back until then. If
 * the manifest turns out unreadable, the reads not yet begun are abandoned ({@link #abandon}).
 */
final class DeepReads implements AutoCloseable {
  private final TransferSettings settings;
  private final CopyExecutor executor;
  private final List<CompletableFuture<Void>> reads = new ArrayList<>();
  private final List<ObjectKey> keys = new ArrayList<>();
  private final List<VerifyFinding> findings = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean abandoned = new AtomicBoolean();

  /** The progress events of reads that ended before {@link #started}; null once it ran. */
  private List<Runnable> endedEarly = new ArrayList<>();

  DeepReads(TransferSettings settings) {
    this.settings = settings;
    this.executor = new CopyExecutor(settings.executor(), settings.parallelism());
  }

  /** Starts the read of {@code entry}, stored at {@code key}: {@code check} reads and judges it. */
  void submit(ObjectKey key, ManifestEntry entry, Supplier<List<VerifyFinding>> check) {
    keys.add(key);
    reads.add(
        CompletableFuture.runAsync(
            () -> {
              if (!settings.cancellation().isCancelled() && !abandoned.get()) {
                findings.addAll(check.get());
                ended(() -> settings.progress().objectRead(key, entry.size()));
              }
            },
            executor.executor()));
  }

  /** Tells progress the totals, then every read that ended before. */
  void started(long objects, long bytes) {
    ProgressListener progress = settings.progress();
    progress.readsStarted(objects, bytes);
    List<Runnable> early;
    synchronized (this) {
      early = endedEarly;
      endedEarly = null;
    }
    early.forEach(Listeners::tell);
  }

  private void ended(Runnable event) {
    synchronized (this) {
      if (endedEarly != null) {
        endedEarly.add(event);
        return;
      }
    }
    Listeners.tell(event);
  }

  /** Leaves the reads not yet begun undone and waits for the running ones to end. */
  void abandon() {
    abandoned.set(true);
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .exceptionally(t -> null)
        .join();
  }

  /** Waits for every read. */
  void await() throws InterruptedException, ExecutionException {
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get();
  }

  /** The stored keys read, in the order submitted. */
  List<ObjectKey> keys() {
    return keys;
  }

  /** The findings of the reads that ended. */
  List<VerifyFinding> findings() {
    synchronized (findings) {
      return new ArrayList<>(findings);
    }
  }

  @Override
  public void close() {
    executor.close();
  }
}
