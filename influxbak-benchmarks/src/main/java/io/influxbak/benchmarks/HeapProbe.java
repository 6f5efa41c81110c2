package io.influxbak.benchmarks;

import com.google.common.collect.ImmutableSet;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.TransferSettings;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Backs up a synthetic node of N small objects (a store that invents its listing) into a store that
 * discards what it is given, and prints the peak heap. Run in a child JVM with a capped heap, so
 * that running out of memory is a measured failure rather than a guess. Two shapes of node: {@code
 * wal}, N WAL files and no snapshot (every object is one the backup's check reads back), and {@code
 * parquet}, the pinned node of {@link PlanningProbe} (N Parquet files in 100 tables, every one
 * referenced by one snapshot, and one WAL file): the shape a node of a million objects has.
 */
final class HeapProbe {
  /** The shapes of synthetic node, by the name {@code --heap-shape} gives. */
  static final List<String> SHAPES = List.of("wal", "parquet");

  private HeapProbe() {}

  /**
   * Runs the probe on a node of {@code shape} in a child JVM with {@code -Xmx<xmx>} and returns its
   * summary line.
   */
  static String inChildJvm(int objects, String xmx, String shape)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            ChildRuns.JAVA,
            "-Xmx" + xmx,
            "-cp",
            classPath(),
            Benchmark.class.getName(),
            "--heap-probe=" + objects,
            "--heap-shape=" + shape);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int exit = process.waitFor();
    String line =
        String.format(
            "plan + backup of %,d objects (%s) with -Xmx%s: %s",
            objects,
            shape.equals("wal") ? "WAL files, no snapshot" : "Parquet files, one snapshot",
            xmx,
            exit == 0
                ? output.substring(output.lastIndexOf('\n') + 1) + verdict(xmx)
                : output.contains("OutOfMemoryError")
                    ? "FAILED: OutOfMemoryError (target: completes within 256 MiB: MISSED)"
                    : "FAILED (exit " + exit + "): " + tail(output));
    System.out.println();
    System.out.println(line);
    return line;
  }

  /** The child's side: back up N synthetic objects of {@code shape} and print the peak heap. */
  static void run(int objects, String shape) throws IOException {
    ObjectStore source =
        switch (shape) {
          case "wal" -> new SyntheticStore(objects);
          case "parquet" -> new PlanningProbe.SyntheticNode(objects);
          default -> throw new IllegalArgumentException("no such shape: " + shape);
        };
    long start = System.nanoTime();
    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder()
                    .transfer(TransferSettings.builder().parallelism(8).build())
                    .backupId("heap")
                    .withoutSha256()
                    .build())
            .execute(source, new DiscardingStore(source));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long live =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "%d objects copied in %.1f s; live heap after GC, result still held: %d MiB%n",
        result.objectCount(), seconds, live >> 20);
  }

  static String classPath() {
    ClassLoader loader = HeapProbe.class.getClassLoader();
    if (loader instanceof URLClassLoader) {
      List<String> entries = new ArrayList<>();
      for (URL url : ((URLClassLoader) loader).getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      return entries.stream().collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  /**
   * The target is to complete with a heap capped at 256 MiB; a run under a larger cap says nothing
   * about it.
   */
  private static String verdict(String xmx) {
    boolean withinTarget =
        xmx.equalsIgnoreCase("256m")
            || (xmx.toLowerCase().endsWith("m")
                && Integer.parseInt(xmx.substring(0, xmx.length() - 1)) <= 256);
    return withinTarget
        ? " (target: completes within 256 MiB: met)"
        : " (cap above the 256 MiB target: no verdict)";
  }

  private static String tail(String output) {
    return output.length() <= 300 ? output : output.substring(output.length() - 300);
  }

  private static final byte[] CONTENT = "idb3.001synthetic".getBytes(StandardCharsets.UTF_8);

  /** A source that lists N WAL objects without holding them. */
  private static final class SyntheticStore extends ReadOnlyStore {
    private final int objects;

    SyntheticStore(int objects) {
      this.objects = objects;
    }

    @Override
    public StoreId id() {
      return new StoreId("synthetic", "heap-probe", "");
    }

    @Override
    public StoreCapabilities capabilities() {
      return new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) {
      return new ObjectIterator() {
        private int next;

        @Override
        public boolean hasNext() {
          return prefix.toString().equals("node0/") && next < objects;
        }

        @Override
        public ObjectInfo next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ObjectInfo.of(key(next++), CONTENT.length);
        }

        @Override
        public void close() {}
      };
    }

    private static ObjectKey key(int i) {
      return ObjectKey.of(String.format("node0/wal/%011d.wal", i + 1));
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) {
      return Optional.of(ObjectInfo.of(key, CONTENT.length));
    }

    @Override
    public InputStream open(ObjectKey key) {
      return new ByteArrayInputStream(CONTENT);
    }
  }

  /**
   * A destination that reads and drops everything, and is always empty; what a backup reads back of
   * its node it serves from the source it was copied from.
   */
  static final class DiscardingStore implements ObjectStore {
    private final java.util.concurrent.atomic.AtomicLong versions =
        new java.util.concurrent.atomic.AtomicLong();
    private final ObjectStore source;

    DiscardingStore(ObjectStore source) {
      this.source = source;
    }

    @Override
    public StoreId id() {
      return new StoreId("discard", "heap-probe", "");
    }

    @Override
    public StoreCapabilities capabilities() {
      return new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) {
      return ObjectIterator.empty();
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) {
      return Optional.empty();
    }

    @Override
    public InputStream open(ObjectKey key) throws IOException {
      int node = key.toString().indexOf("/node0/");
      if (node >= 0) {
        // the backup's objects, read back by its check of what it holds: the synthetic source
        // invents the same bytes again, so they need not be held to be served
        return source.open(ObjectKey.of(key.toString().substring(node + 1)));
      }
      throw new ObjectNotFoundException(id(), key);
    }

    @Override
    public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
        throws IOException {
      try (InputStream in = content.openStream()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      // A version, so that the run's lease can be taken; nothing is kept to compare it with.
      return new ObjectInfo(
          key,
          content.length(),
          Optional.empty(),
          Optional.of(Long.toString(versions.incrementAndGet())),
          ImmutableSet.of());
    }

    /** Nothing is kept, so a condition on a version has nothing to fail against. */
    @Override
    public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String version)
        throws IOException {
      return write(key, content, WriteMode.REPLACE);
    }

    @Override
    public void deleteIfVersion(ObjectKey key, String version) {}

    @Override
    public void delete(ObjectKey key) {}

    @Override
    public void close() {}
  }
}
