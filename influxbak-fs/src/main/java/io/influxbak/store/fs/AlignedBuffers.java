package io.influxbak.store.fs;

import java.nio.ByteBuffer;

/**
 * One page-aligned direct buffer per thread. A plain {@code allocateDirect} buffer starts 16 bytes
 * into a page, and reads into it from the page cache were measured about 5x slower than into an
 * aligned slice.
 */
final class AlignedBuffers {
  static final int SIZE = 1 << 20;
  private static final int PAGE = 4096;
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(SIZE + PAGE).alignedSlice(PAGE).limit(SIZE));
  private static final ThreadLocal<byte[]> ARRAY = ThreadLocal.withInitial(() -> new byte[SIZE]);

  private AlignedBuffers() {}

  /** This thread's aligned direct buffer, cleared. */
  static ByteBuffer direct() {
    return BUFFER.get().clear();
  }

  /** This thread's heap array of the same size, for streams that only read into arrays. */
  static byte[] array() {
    return ARRAY.get();
  }
}
