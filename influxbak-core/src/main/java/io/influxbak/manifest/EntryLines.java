package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.influxbak.store.Checksum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A manifest's {@code objects} array, its entries written as bytes straight to the manifest's
 * output: each the text {@link EntryFormat#write} gives, after the separator the manifest's printer
 * puts between them. Jackson's writing field by field (each name, each string checked for escapes,
 * each checksum made a string, each character turned into a byte) was the largest part of writing a
 * million-object manifest: 2.3 s of the main thread's 5.7 s in an unchanged incremental under JFR.
 * The generator writes the manifest around the array and what comes before the first entry, for
 * which it is given the entries as one raw value ({@link #begin}). An entry with a string that is
 * not printable ASCII without quotes or backslashes (a key may hold a quote or any Unicode
 * character, whose escaping is Jackson's to decide) is written by {@link EntryFormat#write}.
 */
final class EntryLines {
  private static final byte[][] ENCODINGS = new byte[Encoding.values().length][];

  static {
    for (Encoding encoding : Encoding.values()) {
      ENCODINGS[encoding.ordinal()] = ascii(encoding.written());
    }
  }

  private final byte[] separator;
  private byte[] bytes = new byte[1 << 16];
  private int length;
  private boolean any;
  private final ByteArrayOutputStream escaped = new ByteArrayOutputStream();

  /** Entries separated as {@link EntryLinesPrinter} separates them, or as compact JSON does. */
  EntryLines(boolean pretty) {
    this.separator = ascii(pretty ? EntryLinesPrinter.BETWEEN_ENTRIES : ",");
  }

  /**
   * Has {@code json}, inside the array, write what precedes the first entry and count one value
   * (the entries, which follow it in its output), then flush it to the output the entries go to.
   */
  static void begin(JsonGenerator json) throws IOException {
    json.writeRawValue("");
    json.flush();
  }

  /** Adds {@code entry}, after a separator unless it is the first. */
  void add(ManifestEntry entry) throws IOException {
    if (any) {
      put(separator);
    }
    any = true;
    int start = length;
    if (!plain(entry)) {
      length = start;
      escaped.reset();
      try (JsonGenerator json = ManifestWriter.generator(escaped, false)) {
        EntryFormat.write(entry, json);
      }
      put(escaped.toByteArray());
    }
  }

  /** Writes the bytes added to {@code out}. */
  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
    length = 0;
  }

  /** Adds the entry's text; false, part-way, if a string of it is not plain. */
  private boolean plain(ManifestEntry entry) {
    put("{\"key\":\"");
    if (!putPlain(entry.key().toString())) {
      return false;
    }
    put("\",\"kind\":\"");
    put(entry.kind().name());
    put("\",\"phase\":\"");
    put(entry.phase().name());
    put("\",\"size\":");
    put(Long.toString(entry.size()));
    putChecksum(",\"crc32c\":\"", entry.crc32c());
    putChecksum(",\"sha256\":\"", entry.sha256());
    StoredCopy stored = entry.stored();
    if (!stored.isPlain()) {
      put(",\"stored\":{");
      if (stored.backupId().isPresent()) {
        put("\"backup\":\"");
        if (!putPlain(stored.backupId().get())) {
          return false;
        }
        put("\",");
      }
      put("\"encoding\":\"");
      put(ENCODINGS[stored.encoding().ordinal()]);
      put("\",\"size\":");
      put(Long.toString(stored.size()));
      putChecksum(",\"crc32c\":\"", stored.crc32c());
      put("}");
    }
    put("}");
    return true;
  }

  private void putChecksum(String field, Optional<Checksum> checksum) {
    if (checksum.isPresent()) {
      put(field);
      room(2 * checksum.get().algorithm().byteLength() + 1);
      length = checksum.get().appendHex(bytes, length);
      bytes[length++] = '"';
    }
  }

  /** Puts {@code value} if every character is printable ASCII other than a quote or backslash. */
  private boolean putPlain(String value) {
    room(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
      bytes[length + i] = (byte) c;
    }
    length += value.length();
    return true;
  }

  /** Puts ASCII text (names, enum constants, digits). */
  private void put(String ascii) {
    room(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      bytes[length++] = (byte) ascii.charAt(i);
    }
  }

  private void put(byte[] text) {
    room(text.length);
    System.arraycopy(text, 0, bytes, length, text.length);
    length += text.length;
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
