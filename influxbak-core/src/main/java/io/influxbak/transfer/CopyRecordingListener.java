package io.influxbak.transfer;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.function.Consumer;

/** Records each copied object, then forwards every event to the caller's listener. */
final class CopyRecordingListener implements ProgressListener {
  private final Consumer<ManifestEntry> record;
  private final ProgressListener next;

  CopyRecordingListener(Consumer<ManifestEntry> record, ProgressListener next) {
    this.record = record;
    this.next = next;
  }

  @Override
  public void phaseStarted(CopyPhase phase, long objects, long bytes) {
    next.phaseStarted(phase, objects, bytes);
  }

  @Override
  public void objectCopied(ManifestEntry object) {
    record.accept(object);
    next.objectCopied(object);
  }

  @Override
  public void phaseCompleted(PhaseResult result) {
    next.phaseCompleted(result);
  }

  @Override
  public void bytesTransferred(ObjectKey source, long bytes) {
    next.bytesTransferred(source, bytes);
  }

  @Override
  public void retrying(String what, int failedAttempt, IOException cause) {
    next.retrying(what, failedAttempt, cause);
  }

  @Override
  public void repinned(NodeId node, int round, String reason) {
    next.repinned(node, round, reason);
  }

  @Override
  public void readsStarted(long objects, long bytes) {
    next.readsStarted(objects, bytes);
  }

  @Override
  public void objectRead(ObjectKey key, long bytes) {
    next.objectRead(key, bytes);
  }

  @Override
  public void objectDeleted(ObjectKey key) {
    next.objectDeleted(key);
  }

  @Override
  public void objectReported(ReportedObject object) {
    next.objectReported(object);
  }
}
