package io.influxbak.task;

import java.io.IOException;
import java.util.List;

/**
 * Runs copy tasks, somewhere: the one thing an engine (a Spark job, a Beam pipeline) provides to a
 * distributed backup or restore. It decodes each task where it runs it ({@link CopyTask#decode}),
 * calls {@link CopyTask#run} with the number of earlier attempts of that task, and hands back the
 * reports ({@link TaskReport#encode()} travels as text).
 *
 * <p>An engine may run tasks in any order and in parallel, and may run a task again after an
 * attempt that threw or was lost (a killed executor): a task replaces what an earlier attempt of it
 * wrote, and the caller checks that every object is reported exactly once.
 */
@FunctionalInterface
public interface CopyEngine {
  /**
   * Runs every task and returns once all have finished: one report per task, in any order.
   *
   * @throws IOException if the engine gave up on a task (its attempts all threw) or could not run
   *     the tasks at all
   */
  List<TaskReport> runAll(List<CopyTask> tasks) throws IOException;
}
