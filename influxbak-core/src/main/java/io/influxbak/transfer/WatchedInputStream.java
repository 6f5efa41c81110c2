package io.influxbak.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * A stream a copy reads through: each read first asks whether the operation may go on, and the
 * bytes read are handed on every {@link #REPORT_EVERY} bytes and at the end (end of stream or
 * close), so a listener sees a long copy move without a call per buffer.
 */
class WatchedInputStream extends FilterInputStream {
  /** How many bytes are read between two reports. */
  static final long REPORT_EVERY = 4L << 20;

  /** Throws when the operation must stop. */
  @FunctionalInterface
  interface Checkpoint {
    void check() throws IOException;
  }

  private final Checkpoint checkpoint;
  private final LongConsumer report;
  private long unreported;

  WatchedInputStream(InputStream in, Checkpoint checkpoint, LongConsumer report) {
    super(in);
    this.checkpoint = checkpoint;
    this.report = report;
  }

  @Override
  public int read() throws IOException {
    checkpoint.check();
    int read = super.read();
    counted(read < 0 ? -1 : 1);
    return read;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkpoint.check();
    int read = super.read(buffer, offset, length);
    counted(read);
    return read;
  }

  @Override
  public void close() throws IOException {
    flush();
    super.close();
  }

  private void counted(int read) {
    if (read < 0) {
      flush();
    } else if ((unreported += read) >= REPORT_EVERY) {
      flush();
    }
  }

  private void flush() {
    long bytes = unreported;
    unreported = 0;
    if (bytes > 0) {
      report.accept(bytes);
    }
  }
}
