package io.influxbak.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backup through Spark against the same backup in one JVM, both as an operator starts them: the
 * command line's jar ({@code java -jar influxbak.jar backup}) and {@code spark-submit --class
 * io.influxbak.spark.SparkInfluxbak influxbak-spark.jar backup} with {@code --master local[N]}
 * (Spark 4.2.0's own class path, through {@code influxbak-spark/local-spark/spark-submit}), on a
 * realistic node ({@link RealisticNode}), alternating, each figure the median of {@code --runs}
 * with the load average printed beside every run. It prints Spark's overhead against one JVM and
 * the throughput at each N, and Spark's start-up alone ({@code spark-submit ... version}).
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl influxbak-benchmarks exec:java -Dexec.args="--spark --runs=5"
 * </pre>
 *
 * Options ({@code --name=value}): {@code dir} (default {@code /dev/shm/influxbak-spark}), {@code
 * small} (20000), {@code large} (0), {@code wal} (200), {@code runs} (5), {@code masters} (comma
 * separated, default {@code local[1],local[2]}).
 */
final class SparkBenchmark {
  /** The name of the runs of spark-submit starting an application and ending at once. */
  private static final String STARTUP = "spark-submit ... version (start-up alone)";

  private SparkBenchmark() {}

  /** Runs the benchmark (see the class comment for the options). */
  static void run(Map<String, String> options) throws Exception {
    Path dir = Path.of(options.getOrDefault("dir", "/dev/shm/influxbak-spark"));
    Path jar = existing("influxbak-cli/target/influxbak.jar");
    Path sparkJar = existing("influxbak-spark/target/influxbak-spark.jar");
    Path sparkSubmit = existing("influxbak-spark/local-spark/spark-submit");
    int small = Integer.parseInt(options.getOrDefault("small", "20000"));
    int large = Integer.parseInt(options.getOrDefault("large", "0"));
    int wal = Integer.parseInt(options.getOrDefault("wal", "200"));
    int count = Integer.parseInt(options.getOrDefault("runs", "5"));
    List<String> masters = List.of(options.getOrDefault("masters", "local[1],local[2]").split(","));
    Path data = dir.resolve("data");
    Measurements.shell("rm -rf '" + dir + "'");
    Files.createDirectories(data);
    long bytes = RealisticNode.generate(data, small, large, wal);
    long objects;
    try (var walk = Files.walk(data)) {
      objects = walk.filter(Files::isRegularFile).count();
    }
    System.out.printf(
        Locale.ROOT,
        "Realistic node: %,d objects, %s in %s; %d cores%n",
        objects,
        Measurements.human(bytes),
        dir,
        Runtime.getRuntime().availableProcessors());
    ChildRuns runs = new ChildRuns();
    for (int i = 1; i <= count; i++) {
      double load = runs.startRound();
      List<String> oneJvm =
          ChildRuns.influxbak(
              jar,
              "backup",
              "--source=file:" + data,
              "--backups=file:" + dir.resolve("one-" + i),
              "--node=node0");
      List<List<String>> viaSpark = new ArrayList<>();
      for (String master : masters) {
        viaSpark.add(
            List.of(
                sparkSubmit.toString(),
                "--master",
                master,
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--class",
                "io.influxbak.spark.SparkInfluxbak",
                sparkJar.toString(),
                "backup",
                "--source=file:" + data,
                "--backups=file:" + dir.resolve("spark-" + master.replaceAll("\\W", "") + "-" + i),
                "--node=node0",
                "--progress=none"));
      }
      if (i % 2 == 1) {
        runs.measure("one JVM (java -jar)", oneJvm);
      }
      for (int m = 0; m < masters.size(); m++) {
        runs.measure("spark-submit --master " + masters.get(m), viaSpark.get(m));
      }
      if (i % 2 == 0) {
        runs.measure("one JVM (java -jar)", oneJvm);
      }
      List<String> startUp = new ArrayList<>(viaSpark.get(viaSpark.size() - 1).subList(0, 10));
      startUp.add("version");
      runs.measure(STARTUP, startUp);
      Measurements.shell("rm -rf '" + dir + "'/one-* '" + dir + "'/spark-*");
      System.out.printf(
          Locale.ROOT, "run %d of %d done (load average %.2f at its start)%n", i, count, load);
    }
    runs.printMedians();
    double one = runs.wall("one JVM (java -jar)");
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "one JVM:                      %6.2f s, %5.0f objects/s, %6.1f MB/s%n",
        one,
        objects / one,
        bytes / one / 1e6);
    for (String master : masters) {
      double wall = runs.wall("spark-submit --master " + master);
      System.out.printf(
          Locale.ROOT,
          "spark-submit --master %-8s %6.2f s, %5.0f objects/s, %6.1f MB/s: %.2fx one JVM's wall,"
              + " %.2fx its CPU%n",
          master,
          wall,
          objects / wall,
          bytes / wall / 1e6,
          wall / one,
          runs.cpu("spark-submit --master " + master) / runs.cpu("one JVM (java -jar)"));
    }
    double startUp = runs.wall(STARTUP);
    double copying = runs.wall("spark-submit --master " + masters.get(masters.size() - 1));
    System.out.printf(
        Locale.ROOT,
        "Spark's start-up alone (a SparkContext, the command, no job): %.2f s wall, %.2f s CPU;"
            + " the backup beyond it: %.2f s = %.2fx one JVM's whole run%n",
        startUp,
        runs.cpu(STARTUP),
        copying - startUp,
        (copying - startUp) / one);
  }

  private static Path existing(String path) throws IOException {
    Path file = Path.of(path).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is missing: run mvn -B -q install -DskipTests first");
    }
    return file;
  }
}
