package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Hears how an operation (backup, restore, verify, prune, check) progresses, for progress bars,
 * logs and metrics. Called from the copy threads, so implementations are thread-safe and quick; an
 * exception they throw is ignored. Every method does nothing by default.
 *
 * <p>Bytes are heard twice, for two uses: {@link #bytesTransferred} as they move (a bar that moves
 * during a 5 GiB copy; retried attempts count again), {@link #objectCopied} once per object with
 * its size (totals).
 */
public interface ProgressListener extends RetryObserver {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * A listener that hands each copied object to {@code record} (a journal) before {@code next}
   * hears it, and forwards every other event to {@code next}.
   */
  static ProgressListener recordingCopies(Consumer<ManifestEntry> record, ProgressListener next) {
    return new CopyRecordingListener(
        requireNonNull(record, "record is null"), requireNonNull(next, "next is null"));
  }

  /** A phase starts with {@code objects} objects of {@code bytes} bytes to copy. */
  default void phaseStarted(CopyPhase phase, long objects, long bytes) {}

  /** One object was copied. */
  default void objectCopied(ManifestEntry object) {}

  /** A phase completed. */
  default void phaseCompleted(PhaseResult result) {}

  /**
   * {@code bytes} more bytes of {@code source} were read and sent on (a streamed copy reports every
   * few MiB and at its end; a copy inside the store reports the object's size once, when done).
   */
  default void bytesTransferred(ObjectKey source, long bytes) {}

  /** {@inheritDoc} Does nothing by default. */
  @Override
  default void retrying(String what, int failedAttempt, IOException cause) {}

  /**
   * A pinned backup of {@code node} pinned again (round {@code round}) because the server changed
   * what the pin needed while it was copied; {@code reason} says what.
   */
  default void repinned(NodeId node, int round, String reason) {}

  /** A deep verify starts reading {@code objects} objects of {@code bytes} bytes. */
  default void readsStarted(long objects, long bytes) {}

  /** A deep verify read and hashed {@code key}, {@code bytes} bytes, whatever it found. */
  default void objectRead(ObjectKey key, long bytes) {}

  /** A prune deleted {@code key} (an object of a backup it removes, or one of its records). */
  default void objectDeleted(ObjectKey key) {}

  /** The operation reports {@code object} (copied but unknown, left out, vanished, deleted). */
  default void objectReported(ReportedObject object) {}
}
