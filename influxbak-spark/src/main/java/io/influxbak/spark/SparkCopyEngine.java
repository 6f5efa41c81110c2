package io.influxbak.spark;

import static java.util.Objects.requireNonNull;

import io.influxbak.task.CopyEngine;
import io.influxbak.task.CopyTask;
import io.influxbak.task.TaskReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Runs copy tasks on a Spark cluster: each call is one Spark job with one partition per task, so
 * that a phase ends when the job does and phases stay in order. A task travels as text and runs on
 * an executor with the number of Spark's earlier attempts at it ({@link
 * TaskContext#attemptNumber()}), so that an attempt after a failed or lost one replaces what that
 * one wrote; Spark tries a task again up to {@code spark.task.maxFailures} times (4 on a cluster,
 * once in {@code local[N]}: use {@code local[N,F]} to try F times).
 *
 * <p>Executors open the stores from the tasks' locations: credentials come from each SDK's default
 * chain there (instance profile, workload identity, managed identity) unless the locations'
 * settings carry them, in which case they travel with every task.
 */
public final class SparkCopyEngine implements CopyEngine {
  private final JavaSparkContext spark;

  /** Runs tasks on {@code spark}'s cluster. */
  public SparkCopyEngine(JavaSparkContext spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /**
   * @throws IOException if the job failed (a task failed every attempt), naming Spark's reason
   */
  @Override
  public List<TaskReport> runAll(List<CopyTask> tasks) throws IOException {
    requireNonNull(tasks, "tasks is null");
    if (tasks.isEmpty()) {
      return List.of();
    }
    List<String> encoded = new ArrayList<>(tasks.size());
    for (CopyTask task : tasks) {
      encoded.add(task.encode());
    }
    CopyTask first = tasks.get(0);
    spark.setJobDescription(
        first.job().operation() + ": phase " + first.phase() + ", " + tasks.size() + " tasks");
    List<String> reports;
    try {
      reports = spark.parallelize(encoded, encoded.size()).map(new RunTask()).collect();
    } catch (RuntimeException e) { // SparkException arrives wrapped or as is, unchecked in Java
      throw new IOException(
          "Spark job for phase "
              + first.phase()
              + " of "
              + first.job().operation()
              + " failed: "
              + e.getMessage(),
          e);
    }
    List<TaskReport> out = new ArrayList<>(reports.size());
    for (String report : reports) {
      out.add(TaskReport.decode(report));
    }
    return out;
  }

  /** One Spark task: decodes a copy task, runs it here, and returns its report as text. */
  static final class RunTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(String task) throws IOException {
      TaskContext context = TaskContext.get();
      int attempt = context == null ? 0 : context.attemptNumber();
      return CopyTask.decode(task).run(attempt).encode();
    }
  }
}
