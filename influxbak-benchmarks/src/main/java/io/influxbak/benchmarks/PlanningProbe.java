package io.influxbak.benchmarks;

import com.google.common.collect.ImmutableSet;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.transfer.OperationCancelledException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Times the planning of a pinned backup (listing, classification, snapshot parsing, pinning) of a
 * synthetic Core node of N Parquet files in 100 tables, every one referenced by one snapshot, up to
 * the first copy, which it cancels. Neither the listing nor the snapshot (about 150 bytes a file)
 * is held in memory by the store: it invents them, so the heap cap measures influxbak alone. Run in
 * a child JVM by {@link Benchmark} ({@code --planning}) with {@code -Xmx256m}.
 */
final class PlanningProbe {
  private static final int TABLES = 100;
  private static final String SNAPSHOT =
      "node0/snapshots/" + Long.toUnsignedString(-2L) + ".info.json";

  /**
   * Up to this many objects the node is made before the clock starts (a few MiB), so that the clock
   * times influxbak's planning and not the store's inventing of keys; above it the node invents
   * them as they are read and holds neither, for the heap cap's sake.
   */
  private static final int PREBUILT_UP_TO = 100_000;

  private PlanningProbe() {}

  /**
   * Plans a backup of {@code objects} Parquet files {@code times} times in this JVM (the first
   * cold) and prints the time to the first copy of each.
   */
  static void run(int objects, int times) throws IOException {
    for (int i = 0; i < times; i++) {
      planOnce(objects);
    }
  }

  /** In a child JVM with {@code -Xmx<xmx>}: its output lines, or the failure. */
  static String inChildJvm(int objects, int times, String xmx)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                ChildRuns.JAVA,
                "-Xmx" + xmx,
                "-cp",
                HeapProbe.classPath(),
                Benchmark.class.getName(),
                "--planning=" + objects,
                "--times=" + times)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    return exit == 0
        ? output.trim()
        : "planning "
            + objects
            + " objects with -Xmx"
            + xmx
            + " FAILED (exit "
            + exit
            + "): "
            + output.trim().lines().findFirst().orElse("");
  }

  private static void planOnce(int objects) throws IOException {
    // The synthetic node is made before the clock starts (its listing and snapshot with it, up
    // to PREBUILT_UP_TO objects): what a real store knows without the reader's work.
    SyntheticNode node = new SyntheticNode(objects, objects <= PREBUILT_UP_TO);
    StopAtFirstCopy stop = new StopAtFirstCopy();
    long start = System.nanoTime();
    try {
      BackupPlan.core("node0")
          .withOptions(
              BackupOptions.builder().backupId("planning").transfer(stop.settings()).build())
          .execute(node, new HeapProbe.DiscardingStore(node));
    } catch (OperationCancelledException expected) {
      // cancelled at the first copy: planning is what was timed
    }
    System.gc();
    System.out.printf(
        "planned %d objects in %.2f s; heap pools' peaks %d MiB (their sum; the cap is -Xmx)%n",
        objects + 2, stop.secondsSince(start), Measurements.peakHeap() >> 20);
  }

  private static String parquetKey(int i) {
    int table = i % TABLES;
    int hour = (i / 5000) % 24;
    String sequence = Integer.toString(i);
    return "node0/dbs/"
        + table / 10
        + "/"
        + table
        + "/2026-11-30/"
        + (hour < 10 ? "0" : "")
        + hour
        + "-00/"
        + "0".repeat(10 - sequence.length())
        + sequence
        + ".parquet";
  }

  /**
   * A node that invents its listing, its snapshot and its files (each Parquet file the same 8
   * bytes, the WAL file one real frame).
   */
  static final class SyntheticNode extends ReadOnlyStore {
    private static final byte[] PARQUET = "PAR1PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final String WAL = "node0/wal/00000000001.wal";
    private static final byte[] WAL_BYTES =
        ListingBenchmark.walFile("wal 1".getBytes(StandardCharsets.UTF_8));

    private final int objects;

    private final long snapshotLength;

    /** The listing's entries and the snapshot's bytes made in advance, or null to invent them. */
    @Nullable private final ObjectInfo[] listing;

    @Nullable private final byte[] snapshot;

    /** A node that invents its listing and snapshot as they are read, holding neither. */
    SyntheticNode(int objects) throws IOException {
      this(objects, false);
    }

    /**
     * A node of {@code objects} Parquet files; if {@code prebuilt}, its listing and snapshot are
     * made here and held, so that reading them costs the reader only.
     */
    SyntheticNode(int objects, boolean prebuilt) throws IOException {
      this.objects = objects;
      // Held whole only if prebuilt; else only its length is kept (a million files' snapshot is
      // about 150 MB, more than the probe's heap cap leaves).
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      long length = 0;
      for (Enumeration<InputStream> parts = snapshotParts(); parts.hasMoreElements(); ) {
        InputStream part = parts.nextElement();
        length += part.available(); // a byte array's whole length
        if (prebuilt) {
          part.transferTo(whole);
        }
      }
      this.snapshotLength = length;
      this.snapshot = prebuilt ? whole.toByteArray() : null;
      if (prebuilt) {
        listing = new ObjectInfo[objects + 2];
        for (int i = -2; i < objects; i++) {
          listing[i + 2] = entry(i);
        }
      } else {
        listing = null;
      }
    }

    private ObjectInfo entry(int i) {
      return i == -2
          ? ObjectInfo.of(ObjectKey.of(SNAPSHOT), snapshotLength)
          : i == -1
              ? ObjectInfo.of(ObjectKey.of(WAL), WAL_BYTES.length)
              : ObjectInfo.of(ObjectKey.of(parquetKey(i)), PARQUET.length);
    }

    @Override
    public StoreId id() {
      return new StoreId("synthetic", "planning-probe", "");
    }

    @Override
    public StoreCapabilities capabilities() {
      return new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) {
      boolean all = prefix.toString().equals("node0/");
      return new ObjectIterator() {
        private int next = all ? -2 : objects;

        @Override
        public boolean hasNext() {
          return next < objects;
        }

        @Override
        public ObjectInfo next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int i = next++;
          return listing != null ? listing[i + 2] : entry(i);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) {
      String name = key.toString();
      return name.equals(SNAPSHOT)
          ? Optional.of(ObjectInfo.of(key, snapshotLength))
          : name.equals(WAL)
              ? Optional.of(ObjectInfo.of(key, WAL_BYTES.length))
              : name.endsWith(".parquet")
                  ? Optional.of(ObjectInfo.of(key, PARQUET.length))
                  : Optional.empty();
    }

    @Override
    public InputStream open(ObjectKey key) throws IOException {
      String name = key.toString();
      if (name.equals(SNAPSHOT)) {
        return snapshot != null
            ? new ByteArrayInputStream(snapshot)
            : new SequenceInputStream(snapshotParts());
      }
      if (name.equals(WAL)) {
        return new ByteArrayInputStream(WAL_BYTES);
      }
      if (name.endsWith(".parquet")) {
        return new ByteArrayInputStream(PARQUET);
      }
      throw new IOException("no such object: " + key);
    }

    /** The snapshot's JSON, a table at a time. */
    private Enumeration<InputStream> snapshotParts() {
      return new Enumeration<>() {
        private int part = -1;

        @Override
        public boolean hasMoreElements() {
          return part <= TABLES;
        }

        @Override
        public InputStream nextElement() {
          int table = part++;
          StringBuilder json = new StringBuilder();
          if (table == -1) {
            json.append("{\"version\":\"1\",\"node_id\":\"node0\",\"next_file_id\":")
                .append(objects)
                .append(",\"snapshot_sequence_number\":1,\"wal_file_sequence_number\":1,")
                .append("\"catalog_sequence_number\":1,\"parquet_size_bytes\":0,\"row_count\":0,")
                .append("\"min_time\":0,\"max_time\":0,\"databases\":[");
          } else if (table == TABLES) {
            json.append("]}]],\"removed_files\":[]}");
          } else {
            if (table % 10 == 0) {
              json.append(table == 0 ? "" : "]}],").append('[').append(table / 10);
              json.append(",{\"tables\":[");
            } else {
              json.append(',');
            }
            json.append('[').append(table).append(",[");
            for (int i = table; i < objects; i += TABLES) {
              json.append(i == table ? "" : ",")
                  .append("{\"id\":")
                  .append(i)
                  .append(",\"path\":\"")
                  .append(parquetKey(i))
                  .append("\",\"size_bytes\":8,\"row_count\":1,\"chunk_time\":0,")
                  .append("\"min_time\":0,\"max_time\":0}");
            }
            json.append("]]");
          }
          return new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8));
        }
      };
    }
  }
}
