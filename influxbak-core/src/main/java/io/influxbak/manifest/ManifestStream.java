package io.influxbak.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * {@link ManifestFormat#stream}: a manifest's text generated as it is read, a step of a few hundred
 * entries at a time ({@link ManifestWriter.Steps}) into a buffer that the reader drains, so the
 * text is never held whole.
 */
final class ManifestStream extends InputStream {
  private final Filled filled = new Filled();
  private final ManifestWriter.Steps steps;
  private boolean ended;
  private int position;

  ManifestStream(BackupManifest manifest) {
    this.steps = new ManifestWriter.Steps(manifest, filled, true);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    while (position == filled.size()) {
      if (ended) {
        return -1;
      }
      fill();
    }
    int n = Math.min(length, filled.size() - position);
    System.arraycopy(filled.bytes(), position, buffer, offset, n);
    position += n;
    return n;
  }

  private void fill() throws IOException {
    filled.reset();
    position = 0;
    ended = !steps.next();
  }

  /** A byte buffer whose bytes the stream reads in place. */
  private static final class Filled extends ByteArrayOutputStream {
    Filled() {
      super(1 << 17);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
