package io.influxbak.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Child processes timed by {@code /usr/bin/time} (wall, and user + system CPU), by name, with the
 * load average at the start of each round: what the benchmarks that run commands as an operator
 * would compare.
 */
final class ChildRuns {
  /** Wall and CPU seconds of one child process. */
  record Run(double wall, double cpu) {}

  /** The java command of the JVM running the benchmark, for child JVMs like it. */
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Map<String, List<Run>> runs = new LinkedHashMap<>();
  private final List<Double> loads = new ArrayList<>();

  /**
   * The command line's {@code command} with {@code arguments} as an operator runs it: its jar in a
   * JVM like this one, default options, no progress bar.
   */
  static List<String> influxbak(Path jar, String command, String... arguments) {
    List<String> line = new ArrayList<>(List.of(JAVA, "-jar", jar.toString(), command));
    line.addAll(List.of(arguments));
    line.add("--progress=none");
    return List.copyOf(line);
  }

  /** Notes the load average as a round starts, and returns it. */
  double startRound() throws IOException {
    double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    loads.add(load);
    return load;
  }

  /**
   * Measures the baseline and the other, the baseline first in odd rounds and second in even ones,
   * so that neither always meets a warmer or cooler machine.
   */
  void alternately(
      int round, String baselineName, List<String> baseline, String otherName, List<String> other)
      throws Exception {
    alternately(round, baselineName, baseline, otherName, other, () -> {});
  }

  /** What runs between two measured commands, untimed. */
  interface Between {
    void run() throws Exception;
  }

  /**
   * As {@link #alternately(int, String, List, String, List)}, with {@code between} run after the
   * first of the two (removing its output, so that the second meets the file system as the first
   * did: on tmpfs, a 2 GiB copy right after another took up to four times as long).
   */
  void alternately(
      int round,
      String baselineName,
      List<String> baseline,
      String otherName,
      List<String> other,
      Between between)
      throws Exception {
    if (round % 2 == 1) {
      measure(baselineName, baseline);
      between.run();
      measure(otherName, other);
    } else {
      measure(otherName, other);
      between.run();
      measure(baselineName, baseline);
    }
  }

  /**
   * Runs {@code command} to completion (failing on a non-zero exit) and records its times. A {@code
   * sync} first, untimed: on a disk, what the command before left dirty is written back then, not
   * during this command's own fsyncs.
   */
  void measure(String name, List<String> command) throws Exception {
    if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
      throw new IOException("sync failed before " + name);
    }
    Path times = Files.createTempFile("influxbak-time", ".txt");
    List<String> timed =
        new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S", "-o", times.toString()));
    timed.addAll(command);
    Process process = new ProcessBuilder(timed).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(name + " failed (exit " + exit + "): " + output);
    }
    String[] fields = Files.readString(times).trim().split("\\s+");
    Files.delete(times);
    Run run =
        new Run(
            Double.parseDouble(fields[0]),
            Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]));
    runs.computeIfAbsent(name, k -> new ArrayList<>()).add(run);
    System.out.printf(
        Locale.ROOT, "  %-40s %6.2f s wall %6.2f s cpu%n", name, run.wall(), run.cpu());
  }

  /**
   * Starts {@code command} and kills it with SIGKILL, as an OOM kill or a lost node ends a run:
   * {@code millis} after its start, and not before {@code started} exists (the run has begun its
   * work); fails if it ended before.
   */
  static void killAfter(List<String> command, long millis, Path started) throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    while (!Files.exists(started) || System.nanoTime() - start < millis * 1_000_000) {
      if (process.waitFor(5, TimeUnit.MILLISECONDS)) {
        throw new IOException("ended (exit " + process.exitValue() + ") before it was killed");
      }
    }
    process.destroyForcibly().waitFor();
  }

  /** The median wall seconds of {@code name}. */
  double wall(String name) {
    return Measurements.median(runs.get(name).stream().map(Run::wall).toList());
  }

  /** The median CPU seconds of {@code name}. */
  double cpu(String name) {
    return Measurements.median(runs.get(name).stream().map(Run::cpu).toList());
  }

  /** Prints the load averages and every command's medians and walls. */
  void printMedians() {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Medians of %d alternating runs; load average (1 min) at each run's start: %s%n",
        loads.size(),
        loads.stream().map(l -> String.format(Locale.ROOT, "%.2f", l)).toList());
    for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "  %-40s wall %6.2f s  cpu %6.2f s   (walls %s)%n",
          entry.getKey(),
          wall(entry.getKey()),
          cpu(entry.getKey()),
          entry.getValue().stream()
              .map(r -> String.format(Locale.ROOT, "%.2f", r.wall()))
              .toList());
    }
  }
}
