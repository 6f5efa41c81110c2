/**
 * Backups and restores whose copies run on Apache Spark: {@link io.influxbak.spark.SparkCopyEngine}
 * runs each phase's {@link io.influxbak.task.CopyTask}s as one Spark job, one task each, and {@link
 * io.influxbak.spark.SparkInfluxbak} is the {@code spark-submit} entry point with the command
 * line's options. The driver keeps everything only it can do (listing, pinning, the start marker,
 * the lease, the manifest); executors open the stores from their locations and copy.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.spark;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
