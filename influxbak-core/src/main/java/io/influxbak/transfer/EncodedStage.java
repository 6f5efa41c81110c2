package io.influxbak.transfer;

import io.influxbak.encryption.DataKey;
import io.influxbak.manifest.Encoding;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * The encoded (gzip and/or encrypted) copy of an object, staged before it is written so that its
 * length and CRC32C are known up front (the store then checks the upload against them): in memory
 * up to {@link #IN_MEMORY}, beyond that in a temporary file that {@link #close()} deletes.
 */
final class EncodedStage implements Closeable {
  /** Encoded copies up to this size are staged in memory. */
  static final int IN_MEMORY = 8 << 20;

  private final DeferredFileOutputStream staged;
  private final Checksum crc32c;

  private EncodedStage(DeferredFileOutputStream staged, Checksum crc32c) {
    this.staged = staged;
    this.crc32c = crc32c;
  }

  /**
   * Reads {@code original} to its end and closes it, compressing at deflate {@code level} if {@code
   * encoding} compresses, then encrypting with {@code key} if it encrypts (bound to {@code to}, the
   * key the copy is stored under).
   */
  static EncodedStage of(
      InputStream original, Encoding encoding, int level, Optional<DataKey> key, ObjectKey to)
      throws IOException {
    DeferredFileOutputStream staged =
        DeferredFileOutputStream.builder()
            .setThreshold(IN_MEMORY)
            .setPrefix("influxbak-stage")
            .setSuffix(encoding.suffix())
            .get();
    try {
      CheckedOutputStream stored = new CheckedOutputStream(staged, new CRC32C());
      OutputStream encrypted =
          encoding.encrypted()
              ? key.orElseThrow(() -> new IllegalStateException("no data key for " + to))
                  .encrypt(stored, to.toString())
              : stored;
      try (InputStream in = original;
          OutputStream encoded =
              encoding.compressed() ? new LeveledGzipOutputStream(encrypted, level) : encrypted) {
        in.transferTo(encoded);
      }
      return new EncodedStage(staged, Checksum.crc32c(stored.getChecksum().getValue()));
    } catch (IOException | RuntimeException e) {
      deleteFile(staged);
      throw e;
    }
  }

  /** The staged bytes, declaring their CRC32C. */
  ObjectContent content() throws IOException {
    ObjectContent content =
        staged.isInMemory()
            ? ObjectContent.ofBytes(staged.getData())
            : ObjectContent.ofFile(staged.getFile().toPath());
    return ObjectContent.withChecksums(content, java.util.Set.of(crc32c));
  }

  /** The CRC32C of the encoded bytes. */
  Checksum crc32c() {
    return crc32c;
  }

  /** The number of encoded bytes. */
  long size() {
    return staged.getByteCount();
  }

  @Override
  public void close() throws IOException {
    deleteFile(staged);
  }

  private static void deleteFile(DeferredFileOutputStream staged) throws IOException {
    Path file = staged.getPath();
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  /** Gzip at a chosen deflate level (the JDK's stream fixes none). */
  private static final class LeveledGzipOutputStream extends GZIPOutputStream {
    LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
      super(out, 64 << 10);
      def.setLevel(level);
    }
  }
}
