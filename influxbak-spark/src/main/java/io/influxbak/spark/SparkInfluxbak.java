package io.influxbak.spark;

import io.influxbak.cli.Influxbak;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code spark-submit} entry point: the {@code influxbak} command line, its options and exit
 * codes, with {@code backup} and {@code restore} copying on the cluster ({@link SparkCopyEngine})
 * and every other command running on the driver as it does alone.
 *
 * <pre>{@code
 * spark-submit --class io.influxbak.spark.SparkInfluxbak influxbak-spark.jar \
 *     backup --node node0 --source s3://influxdb-data --backups s3://influxdb-backups
 * }</pre>
 */
public final class SparkInfluxbak {
  private SparkInfluxbak() {}

  /** Runs the command in a Spark application and exits with its code when it is not 0. */
  public static void main(String[] args) {
    int code = run(args, new SparkConf());
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command in a Spark application configured by {@code conf} (its master and settings
   * from {@code spark-submit} or the caller), and returns its exit code.
   */
  public static int run(String[] args, SparkConf conf) {
    return run(
        args,
        conf,
        new PrintStream(System.out, true, StandardCharsets.UTF_8),
        new PrintStream(System.err, true, StandardCharsets.UTF_8));
  }

  /** As {@link #run(String[], SparkConf)}, printing to {@code out} and {@code err}. */
  public static int run(String[] args, SparkConf conf, PrintStream out, PrintStream err) {
    try (JavaSparkContext spark =
        new JavaSparkContext(
            conf.setIfMissing("spark.app.name", "influxbak " + String.join(" ", head(args))))) {
      return Influxbak.run(args, out, err, new SparkCopyEngine(spark));
    }
  }

  /** The command's name, for the application's name. */
  private static String[] head(String[] args) {
    return args.length == 0 ? new String[0] : new String[] {args[0]};
  }
}
