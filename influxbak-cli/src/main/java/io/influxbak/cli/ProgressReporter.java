package io.influxbak.cli;

import io.influxbak.layout.CopyPhase;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr: a bar redrawn in place (phase, objects, bytes, rate, ETA) when stderr is a
 * terminal, one plain line per phase when it is not (logs, pipes, CI).
 */
final class ProgressReporter implements ProgressListener {
  private final PrintStream err;
  private final boolean terminal;
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile CopyPhase phase;
  private volatile long phaseObjects;
  private volatile long phaseBytes;
  private volatile long phaseStart;
  private volatile long lastDraw;

  ProgressReporter(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void phaseStarted(CopyPhase phase, long count, long size) {
    this.phase = phase;
    this.phaseObjects = count;
    this.phaseBytes = size;
    this.phaseStart = System.nanoTime();
    objects.set(0);
    bytes.set(0);
    if (!terminal) {
      err.printf(Locale.ROOT, "%s: %d objects, %s%n", phase, count, Sizes.human(size));
    }
  }

  @Override
  public void objectCopied(ManifestEntry object) {
    long done = objects.incrementAndGet();
    long copied = bytes.addAndGet(object.size());
    long now = System.nanoTime();
    if (terminal && (now - lastDraw > 100_000_000L || done == phaseObjects)) {
      lastDraw = now;
      double seconds = Math.max(1e-9, (now - phaseStart) / 1e9);
      double rate = copied / seconds;
      long eta = rate > 0 ? (long) ((phaseBytes - copied) / rate) : 0;
      int width = 30;
      int filled = phaseBytes == 0 ? width : (int) Math.min(width, width * copied / phaseBytes);
      synchronized (err) {
        err.printf(
            Locale.ROOT,
            "\r%-18s [%s%s] %d/%d objects %s/%s %s/s ETA %ds ",
            phase,
            "#".repeat(filled),
            " ".repeat(width - filled),
            done,
            phaseObjects,
            Sizes.human(copied),
            Sizes.human(phaseBytes),
            Sizes.human((long) rate),
            eta);
      }
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
}
