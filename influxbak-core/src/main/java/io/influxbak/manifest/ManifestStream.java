package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * {@link ManifestFormat#stream}: a manifest's text generated as it is read. The generator writes a
 * few hundred entries at a time into a buffer that the reader drains, so the text is never held
 * whole.
 */
final class ManifestStream extends InputStream {
  /** Entries written at a time: some 100 KB, a few times the generator's own buffer. */
  private static final int ENTRIES_A_FILL = 256;

  private final BackupManifest manifest;
  private final Iterator<ManifestEntry> entries;
  private final Filled filled = new Filled();
  private final EntryLines lines = new EntryLines(true);
  private @Nullable JsonGenerator json;
  private @Nullable PrettyPrinter indented;
  private boolean ended;
  private int position;

  ManifestStream(BackupManifest manifest) {
    this.manifest = manifest;
    this.entries = manifest.entries().iterator();
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
    if (json == null) {
      json = ManifestWriter.generator(filled, true);
      indented = ManifestWriter.writeHead(manifest, json, true);
      if (entries.hasNext()) {
        EntryLines.begin(json);
      }
    }
    for (int i = 0; i < ENTRIES_A_FILL && entries.hasNext(); i++) {
      lines.add(entries.next());
    }
    lines.writeTo(filled);
    if (entries.hasNext()) {
      json.flush();
    } else {
      ManifestWriter.writeTail(json, indented);
      json.close(); // flushes
      ended = true;
    }
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
