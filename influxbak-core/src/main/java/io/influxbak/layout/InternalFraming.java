package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The internal framing of InfluxDB 3 WAL and catalog files, checked without understanding their
 * payload:
 *
 * <ul>
 *   <li>WAL: {@code idb3.001}, a big-endian CRC32 (IEEE) of the payload, the payload.
 *   <li>Catalog 3.0 to 3.9: a 10-byte identifier ({@code idb3.00N.l} or {@code .s}, or {@code
 *       idb3.EOF.l}), a big-endian CRC32 of the payload, the payload.
 *   <li>Catalog 3.10+: a 64-byte little-endian header starting {@code IDB3} with a CRC32 of bytes
 *       0x0C to 0x40 at 0x08, the payload length at 0x30 and the payload's CRC32 at 0x38; then the
 *       payload.
 * </ul>
 */
public final class InternalFraming {
  private InternalFraming() {}

  /** Whether objects of {@code kind} carry this framing. */
  public static boolean applies(ObjectKind kind) {
    requireNonNull(kind, "kind is null");
    return kind == ObjectKind.WAL
        || kind == ObjectKind.CATALOG_LOG
        || kind == ObjectKind.CATALOG_CHECKPOINT;
  }

  /** The problem with the framing of a file of {@code kind}, or empty if it is sound. */
  public static Optional<String> problem(ObjectKind kind, byte[] file) {
    requireNonNull(kind, "kind is null");
    if (file.length == 0) {
      return Optional.of("zero-byte file (InfluxDB skips or fails on these after a power loss)");
    }
    String head = new String(file, 0, Math.min(file.length, 10), StandardCharsets.US_ASCII);
    if (kind == ObjectKind.WAL) {
      return head.startsWith("idb3.001")
          ? crcAfter(file, 8, "WAL")
          : Optional.of("WAL file does not start with idb3.001");
    }
    if (head.startsWith("IDB3")) {
      return v3(file);
    }
    if (head.matches("idb3\\.(00\\d|EOF)\\.[ls]")) {
      return crcAfter(file, 10, "catalog");
    }
    return Optional.of(
        "unknown catalog file identifier \"" + head.replaceAll("[^\\x20-\\x7e]", "?") + "\"");
  }

  /** An identifier of {@code idLength} bytes, then a big-endian CRC32 of the rest. */
  private static Optional<String> crcAfter(byte[] file, int idLength, String what) {
    if (file.length < idLength + 4) {
      return Optional.of(what + " file of " + file.length + " bytes is shorter than its header");
    }
    long stored =
        ByteBuffer.wrap(file, idLength, 4).order(ByteOrder.BIG_ENDIAN).getInt() & 0xFFFFFFFFL;
    long actual = crc32(file, idLength + 4, file.length - idLength - 4);
    return stored == actual
        ? Optional.empty()
        : Optional.of(
            String.format("%s payload CRC32 is %08x, its header says %08x", what, actual, stored));
  }

  private static Optional<String> v3(byte[] file) {
    if (file.length < 64) {
      return Optional.of(
          "3.10+ catalog file of " + file.length + " bytes is shorter than its 64-byte header");
    }
    ByteBuffer header = ByteBuffer.wrap(file, 0, 64).order(ByteOrder.LITTLE_ENDIAN);
    long headerCrc = header.getInt(0x08) & 0xFFFFFFFFL;
    long actualHeaderCrc = crc32(file, 0x0C, 64 - 0x0C);
    if (headerCrc != actualHeaderCrc) {
      return Optional.of(
          String.format(
              "3.10+ catalog header CRC32 is %08x, the header says %08x",
              actualHeaderCrc, headerCrc));
    }
    long payloadLength = header.getLong(0x30);
    if (payloadLength != file.length - 64L) {
      return Optional.of(
          "3.10+ catalog payload is "
              + (file.length - 64L)
              + " bytes, the header says "
              + payloadLength);
    }
    long payloadCrc = header.getInt(0x38) & 0xFFFFFFFFL;
    long actual = crc32(file, 64, file.length - 64);
    return payloadCrc == actual
        ? Optional.empty()
        : Optional.of(
            String.format(
                "3.10+ catalog payload CRC32 is %08x, the header says %08x", actual, payloadCrc));
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
