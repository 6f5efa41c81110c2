package io.influxbak.layout.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/** Builders of InfluxDB 3 file contents with their real framing, for tests. */
public final class InfluxFiles {
  private InfluxFiles() {}

  /** A WAL file: {@code idb3.001}, big-endian CRC32 (IEEE) of the payload, payload. */
  public static byte[] wal(byte[] payload) {
    return framed("idb3.001", payload);
  }

  /**
   * A catalog log or checkpoint of generations 1 and 2: a 10-byte identifier such as {@code
   * idb3.004.l}, big-endian CRC32 of the payload, payload.
   */
  public static byte[] framedCatalog(String identifier, String jsonPayload) {
    if (identifier.length() != 10) {
      throw new IllegalArgumentException("identifier must be 10 bytes: " + identifier);
    }
    return framed(identifier, jsonPayload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A 3.10+ catalog file: 64-byte little-endian header ({@code IDB3}, format 1, header CRC over
   * bytes 0x0C..0x40, flags, catalog UUID, sequence, record count, group count, payload length,
   * payload CRC), then the payload.
   */
  public static byte[] catalogV3(
      boolean snapshot, UUID catalogUuid, long sequence, byte[] payload) {
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.put("IDB3".getBytes(StandardCharsets.US_ASCII));
    header.putInt(1);
    header.putInt(0); // header CRC, filled below
    header.putShort((short) (snapshot ? 1 : 0));
    header.putShort((short) 0);
    header
        .order(ByteOrder.BIG_ENDIAN)
        .putLong(catalogUuid.getMostSignificantBits())
        .putLong(catalogUuid.getLeastSignificantBits());
    header.order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(sequence);
    header.putInt(1);
    header.putInt(snapshot ? 1 : 0);
    header.putLong(payload.length);
    header.putInt((int) crc32(payload, 0, payload.length));
    header.putInt(0);
    byte[] bytes = header.array();
    int headerCrc = (int) crc32(bytes, 0x0C, 64 - 0x0C);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, headerCrc);
    byte[] file = new byte[64 + payload.length];
    System.arraycopy(bytes, 0, file, 0, 64);
    System.arraycopy(payload, 0, file, 64, payload.length);
    return file;
  }

  /** A Parquet-shaped file: {@code PAR1}, filler, {@code PAR1}. */
  public static byte[] parquet(int size, long seed) {
    byte[] bytes = new byte[Math.max(size, 8)];
    new java.util.Random(seed).nextBytes(bytes);
    byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, bytes, 0, 4);
    System.arraycopy(magic, 0, bytes, bytes.length - 4, 4);
    return bytes;
  }

  private static byte[] framed(String identifier, byte[] payload) {
    byte[] id = identifier.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.allocate(id.length + 4 + payload.length);
    buffer.put(id).putInt((int) crc32(payload, 0, payload.length)).put(payload);
    return buffer.array();
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
