package io.influxbak.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Writes a small InfluxDB 3 Core node directory as a 3.6+ server would leave it with {@code
 * --object-store file}: two snapshot files naming the Parquet files they added, those Parquet
 * files, WAL files before and after the newest snapshot, and a catalog v2 snapshot with two logs,
 * each with InfluxDB's framing.
 */
public final class SampleNode {
  private SampleNode() {}

  /** Creates the node {@code nodeId} under {@code dataDir} and returns its directory. */
  public static Path create(Path dataDir, String nodeId) throws IOException {
    Path node = dataDir.resolve(nodeId);
    Random random = new Random(42);
    long fileId = 0;
    long walSequence = 0;
    for (long snapshot = 1; snapshot <= 2; snapshot++) {
      walSequence += 5;
      StringBuilder tables = new StringBuilder();
      for (int table = 0; table < 3; table++) {
        String path =
            String.format(
                "%s/dbs/1/%d/2026-11-24/10-%02d/%010d.parquet",
                nodeId, table, snapshot * 10, walSequence);
        int size = 20_000 + random.nextInt(200_000);
        byte[] parquet = new byte[size];
        random.nextBytes(parquet);
        write(dataDir.resolve(path), parquet);
        tables
            .append(table == 0 ? "" : ", ")
            .append(
                String.format(
                    "[%d, [{\"id\": %d, \"path\": \"%s\", \"size_bytes\": %d, \"row_count\": 100, \"chunk_time\": 0, "
                        + "\"min_time\": 0, \"max_time\": 0}]]",
                    table, fileId++, path, size));
      }
      String json =
          String.format(
              "{\n  \"version\": \"1\",\n  \"node_id\": \"%s\",\n  \"next_file_id\": %d,\n  \"snapshot_sequence_number\": %d,\n"
                  + "  \"wal_file_sequence_number\": %d,\n  \"catalog_sequence_number\": 2,\n  \"parquet_size_bytes\": 0,\n"
                  + "  \"row_count\": 300,\n  \"min_time\": 0,\n  \"max_time\": 0,\n  \"databases\": [[1, {\"tables\": [%s]}]],\n"
                  + "  \"removed_files\": []\n}\n",
              nodeId, fileId, snapshot, walSequence, tables);
      String name = String.format("%20s", Long.toUnsignedString(~snapshot)).replace(' ', '0');
      write(
          node.resolve("snapshots/" + name + ".info.json"), json.getBytes(StandardCharsets.UTF_8));
    }
    for (long wal = walSequence - 3; wal <= walSequence + 4; wal++) {
      byte[] payload = new byte[1024 + random.nextInt(4096)];
      random.nextBytes(payload);
      write(node.resolve(String.format("wal/%011d.wal", wal)), framed("idb3.001", payload));
    }
    write(
        node.resolve("catalog/v2/snapshot"),
        framed("idb3.004.s", "{\"sequence\":0}".getBytes(StandardCharsets.UTF_8)));
    for (long log = 1; log <= 2; log++) {
      write(
          node.resolve(String.format("catalog/v2/logs/%020d.catalog", log)),
          framed("idb3.004.l", ("{\"sequence\":" + log + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return node;
  }

  /**
   * An identifier, the big-endian CRC32 of the payload, the payload: the framing of WAL and catalog
   * files.
   */
  private static byte[] framed(String identifier, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    byte[] id = identifier.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(id.length + 4 + payload.length)
        .put(id)
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  private static void write(Path path, byte[] bytes) throws IOException {
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
  }
}
