package io.influxbak.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes a Core node as InfluxDB 3.10+ leaves it: Parquet files under {@code
 * dbs/<db>/<table>/<date>/<HH-MM>/} (the 3.x path form with ids), one snapshot that references
 * every one of them, WAL files with real framing ({@code idb3.001}, CRC32 big-endian, payload) and
 * a v3 catalog (checkpoint and logs with the 64-byte {@code IDB3} header), so that the default,
 * pinned backup copies all of it. The layout follows {@code influxdb3-format.md}.
 */
final class RealisticNode {
  private final Path root;
  private final Random random = new Random(7);

  private RealisticNode(Path data, String node) {
    this.root = data.resolve(node);
  }

  /**
   * {@code small} Parquet files of 4 to 64 KiB in 50 tables, {@code large} of 16 MiB in a 51st,
   * {@code wal} WAL files of 1 to 8 KiB, a snapshot and a v3 catalog, under {@code data/node0}.
   *
   * @return the bytes written
   */
  static long generate(Path data, int small, int large, int wal) throws IOException {
    return new RealisticNode(data, "node0").write(small, large, wal);
  }

  private long write(int small, int large, int wal) throws IOException {
    byte[] blob = new byte[70_000];
    random.nextBytes(blob);
    long bytes = 0;
    StringBuilder tables = new StringBuilder();
    int[] perTable = new int[51];
    StringBuilder[] files = new StringBuilder[51];
    for (int i = 0; i < small + large; i++) {
      int table = i < small ? i % 50 : 50;
      String path =
          String.format(
              "node0/dbs/1/%d/2026-11-30/%02d-00/%010d.parquet", table, (i / 500) % 24, i);
      int size = i < small ? 4096 + random.nextInt(65536 - 4096 + 1) : 16 << 20;
      byte[] data = new byte[size];
      if (i < small) {
        int offset = random.nextInt(blob.length - size);
        System.arraycopy(blob, offset, data, 4, size - 8);
      } else {
        random.nextBytes(data);
      }
      System.arraycopy(PAR1, 0, data, 0, 4);
      System.arraycopy(PAR1, 0, data, size - 4, 4);
      bytes += put(path.substring("node0/".length()), data);
      StringBuilder list =
          files[table] == null ? (files[table] = new StringBuilder()) : files[table];
      list.append(list.length() == 0 ? "" : ",")
          .append(
              String.format(
                  "{\"id\":%d,\"path\":\"%s\",\"size_bytes\":%d,\"row_count\":100,"
                      + "\"chunk_time\":0,\"min_time\":0,\"max_time\":0}",
                  i, path, size));
      perTable[table]++;
    }
    for (int t = 0; t < files.length; t++) {
      if (files[t] != null) {
        tables.append(tables.length() == 0 ? "" : ",").append("[").append(t).append(",[");
        tables.append(files[t]).append("]]");
      }
    }
    String snapshot =
        "{\"version\":\"1\",\"node_id\":\"node0\",\"next_file_id\":"
            + (small + large)
            + ",\"snapshot_sequence_number\":1,\"wal_file_sequence_number\":"
            + wal
            + ",\"catalog_sequence_number\":3,\"parquet_size_bytes\":0,\"row_count\":0,"
            + "\"min_time\":0,\"max_time\":0,\"databases\":[[1,{\"tables\":["
            + tables
            + "]}]],\"removed_files\":[]}";
    // Snapshot files count down from u64::MAX: the newest has the smallest name.
    bytes +=
        put(
            "snapshots/" + Long.toUnsignedString(-2L) + ".info.json",
            snapshot.getBytes(StandardCharsets.UTF_8));
    for (int n = 1; n <= wal + 2; n++) {
      byte[] payload = new byte[1024 + random.nextInt(7 * 1024 + 1)];
      random.nextBytes(payload);
      bytes += put(String.format("wal/%011d.wal", n), walFile(payload));
    }
    UUID catalog = new UUID(random.nextLong(), random.nextLong());
    bytes += put("catalog/v3/snapshot", catalogFile(true, catalog, 3, "{\"sequence\":3}"));
    for (int seq = 1; seq <= 3; seq++) {
      bytes +=
          put(
              String.format("catalog/v3/logs/%020d.catalog", seq),
              catalogFile(false, catalog, seq, "{\"sequence\":" + seq + "}"));
    }
    return bytes;
  }

  private static final byte[] PAR1 = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private long put(String relative, byte[] data) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(data);
    }
    return data.length;
  }

  /** {@code idb3.001}, the payload's CRC32 (big-endian), the payload. */
  private static byte[] walFile(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return ByteBuffer.allocate(12 + payload.length)
        .put("idb3.001".getBytes(StandardCharsets.US_ASCII))
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  /** The 3.10+ catalog header (64 bytes, little-endian, CRC32 of bytes 12..63 at 8) and body. */
  private static byte[] catalogFile(boolean checkpoint, UUID catalog, long sequence, String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    CRC32 payloadCrc = new CRC32();
    payloadCrc.update(payload);
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.put("IDB3".getBytes(StandardCharsets.US_ASCII)).putInt(1);
    header.position(12);
    header.putShort((short) (checkpoint ? 1 : 0)).putShort((short) 0);
    header.order(ByteOrder.BIG_ENDIAN).putLong(catalog.getMostSignificantBits());
    header.putLong(catalog.getLeastSignificantBits()).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(sequence).putInt(1).putInt(checkpoint ? 1 : 0).putLong(payload.length);
    header.putInt((int) payloadCrc.getValue());
    CRC32 headerCrc = new CRC32();
    headerCrc.update(header.array(), 12, 52);
    header.putInt(8, (int) headerCrc.getValue());
    return ByteBuffer.allocate(64 + payload.length).put(header.array()).put(payload).array();
  }
}
