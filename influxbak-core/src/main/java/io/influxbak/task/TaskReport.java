package io.influxbak.task;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.ReportedObject;

/**
 * What one run of a {@link CopyTask} did: the entries it copied (hashed as they passed), the
 * sources the server deleted before their turn, and the objects it could not copy, each with the
 * reason.
 *
 * @param task the task's name
 * @param copied what it copied
 * @param vanished the sources gone before their copy, of kinds the server deletes on its own
 * @param failed what it could not copy
 */
public record TaskReport(
    String task,
    ImmutableList<ManifestEntry> copied,
    ImmutableList<ReportedObject> vanished,
    ImmutableList<Failure> failed) {
  /** Checks the parts. */
  public TaskReport {
    requireNonNull(task, "task is null");
    requireNonNull(copied, "copied is null");
    requireNonNull(vanished, "vanished is null");
    requireNonNull(failed, "failed is null");
  }

  /**
   * An object a task could not copy.
   *
   * @param reason the failure's message (store errors name no secret)
   */
  public record Failure(ObjectKey key, String reason) {
    /** Checks the parts. */
    public Failure {
      requireNonNull(key, "key is null");
      requireNonNull(reason, "reason is null");
    }
  }

  /** This report as text, for an engine to hand back to the driver. */
  public String encode() {
    return TaskCodec.encode(this);
  }

  /**
   * The report {@link #encode()} wrote.
   *
   * @throws ManifestException if the text is not such a report
   */
  public static TaskReport decode(String text) throws ManifestException {
    return TaskCodec.decodeReport(requireNonNull(text, "text is null"));
  }
}
