package io.influxbak.cli;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.SecretScrubber;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr: a bar redrawn in place (phase or verify, objects, bytes as they move, rate,
 * ETA) when stderr is a terminal, plain lines when it is not (logs, pipes, CI). Retries and re-pins
 * get a line of their own either way.
 */
final class ProgressReporter implements ProgressListener {
  private final PrintStream err;
  private final boolean terminal;
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile String stage = "";
  private volatile long stageObjects;
  private volatile long stageBytes;
  private volatile long stageStart;
  private volatile long lastDraw;

  ProgressReporter(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void phaseStarted(CopyPhase phase, long count, long size) {
    start(phase.name(), count, size);
  }

  @Override
  public void readsStarted(long count, long size) {
    start("VERIFY", count, size);
  }

  private void start(String name, long count, long size) {
    stage = name;
    stageObjects = count;
    stageBytes = size;
    stageStart = System.nanoTime();
    objects.set(0);
    bytes.set(0);
    if (!terminal) {
      err.printf(Locale.ROOT, "%s: %d objects, %s%n", name, count, Sizes.human(size));
    }
  }

  @Override
  public void bytesTransferred(ObjectKey source, long transferred) {
    bytes.addAndGet(transferred);
    draw(false);
  }

  @Override
  public void objectCopied(ManifestEntry object) {
    if (object.reused()) {
      bytes.addAndGet(object.size()); // kept without a transfer: no bytes were heard for it
    }
    objects.incrementAndGet();
    draw(objects.get() == stageObjects);
  }

  @Override
  public void objectRead(ObjectKey key, long size) {
    bytes.addAndGet(size);
    boolean last = objects.incrementAndGet() == stageObjects;
    draw(last);
    if (last && terminal) {
      err.println(); // a verify has no phase to complete: end the bar's line here
    }
  }

  @Override
  public void phaseCompleted(PhaseResult result) {
    if (terminal) {
      err.println();
    } else {
      err.printf(
          Locale.ROOT,
          "%s: done, %d objects, %s in %d ms%n",
          result.phase(),
          result.objects(),
          Sizes.human(result.bytes()),
          result.elapsed().toMillis());
    }
  }

  @Override
  public void retrying(String what, int failedAttempt, IOException cause) {
    line(
        "retrying "
            + what
            + " after attempt "
            + failedAttempt
            + ": "
            + SecretScrubber.describe(cause));
  }

  @Override
  public void repinned(NodeId node, int round, String reason) {
    line("pinning " + node.prefix() + " again (round " + round + "): " + reason);
  }

  private void line(String text) {
    synchronized (err) {
      err.print(terminal ? "\r\033[K" + text + "\n" : text + "\n");
      err.flush();
    }
  }

  private void draw(boolean last) {
    long now = System.nanoTime();
    if (!terminal || (now - lastDraw < 100_000_000L && !last)) {
      return;
    }
    lastDraw = now;
    long moved =
        Math.min(bytes.get(), stageBytes); // retried attempts count again; cap at the total
    double seconds = Math.max(1e-9, (now - stageStart) / 1e9);
    double rate = moved / seconds;
    long eta = rate > 0 ? (long) ((stageBytes - moved) / rate) : 0;
    int width = 30;
    int filled = stageBytes == 0 ? width : (int) Math.min(width, width * moved / stageBytes);
    synchronized (err) {
      err.printf(
          Locale.ROOT,
          "\r%-18s [%s%s] %d/%d objects %s/%s %s/s ETA %ds ",
          stage,
          "#".repeat(filled),
          " ".repeat(width - filled),
          objects.get(),
          stageObjects,
          Sizes.human(moved),
          Sizes.human(stageBytes),
          Sizes.human((long) rate),
          eta);
    }
  }
}
