package io.influxbak.transfer;

import io.influxbak.layout.CopyPhase;
import io.influxbak.manifest.ManifestEntry;

/**
 * Hears how a backup or restore progresses, for progress bars and logs. Called from the copy
 * threads, so implementations are thread-safe and quick; an exception they throw is ignored. Every
 * method does nothing by default.
 */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /** A phase starts with {@code objects} objects of {@code bytes} bytes to copy. */
  default void phaseStarted(CopyPhase phase, long objects, long bytes) {}

  /** One object was copied. */
  default void objectCopied(ManifestEntry object) {}

  /** A phase completed. */
  default void phaseCompleted(PhaseResult result) {}
}
