package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Reads a manifest's {@code objects} array from its bytes rather than from Jackson's tokens. Each
 * entry's extent is found by balancing its braces outside strings; an entry exactly as {@link
 * EntryLines} writes a plain one (the fields in its order, strings of printable ASCII without
 * quotes or backslashes, sizes of up to 18 digits) has its fields taken from the bytes directly,
 * and any other entry is read by Jackson from its bytes ({@link EntryReader}); both give the same
 * {@link EntryReader.Fields}, judged by the same code. A cold JVM ran Jackson's tokenizer
 * interpreted, then compiled, then deoptimized (a trap in its white-space skipping) and compiled by
 * C2 again; reading a manifest of 20,000 objects this way takes about 0.1 s less CPU in a fresh JVM
 * (0.54 → 0.44 s), a deep verify of them 0.15 s.
 *
 * <p>The array's syntax between entries (white space, one comma, the closing bracket) is checked
 * here as Jackson would: a trailing comma or a missing one is malformed JSON.
 */
final class EntryScanner {
  /** The largest entry read: far above any entry this library writes (a key is 1,024 bytes). */
  static final int MAX_ENTRY_BYTES = 16 << 20;

  /**
   * The kinds, phases and encodings as {@link EntryLines} writes them: a value that is one of them
   * is taken as that very string, not a new one, for each of a million entries.
   */
  private static final List<String> KINDS = Stream.of(ObjectKind.values()).map(Enum::name).toList();

  private static final List<String> PHASES = Stream.of(CopyPhase.values()).map(Enum::name).toList();
  private static final List<String> ENCODINGS =
      Stream.of(Encoding.values()).map(Encoding::written).toList();

  /** Receives each entry read. */
  interface Sink {
    void accept(ManifestEntry entry) throws ManifestException;
  }

  private final String name;
  private final InputStream in;
  private final Map<String, Optional<String>> holders = new HashMap<>();
  private byte[] buffer;
  private int position;
  private int limit;

  private EntryScanner(String name, byte[] buffered, InputStream in) {
    this.name = name;
    this.in = in;
    this.buffer = Arrays.copyOf(buffered, Math.max(buffered.length, 1 << 16));
    this.limit = buffered.length;
  }

  /**
   * Reads the entries of the array whose {@code START_ARRAY} is {@code json}'s current token, read
   * from {@code in}, passing each to {@code sink}. Returns the parser to read the rest of the
   * manifest's root object from: its next token is the field after the array, or the root's end.
   * {@code json} must not close {@code in}, which is the caller's to close.
   */
  static JsonParser readObjects(String name, JsonParser json, InputStream in, Sink sink)
      throws IOException {
    ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    if (json.releaseBuffered(buffered) < 0) {
      // Jackson decoded characters (a manifest in UTF-16 or UTF-32): read on from its tokens.
      Map<String, Optional<String>> holders = new HashMap<>();
      while (json.nextToken() == JsonToken.START_OBJECT) {
        sink.accept(EntryReader.entry(name, json, holders));
      }
      if (json.currentToken() != JsonToken.END_ARRAY) {
        throw notAnObject(name);
      }
      return json;
    }
    json.close(); // its input, not closed with it, is read from here on
    EntryScanner scanner = new EntryScanner(name, buffered.toByteArray(), in);
    scanner.readArray(sink);
    return scanner.rest();
  }

  private void readArray(Sink sink) throws IOException {
    int next = skipWhitespace();
    if (next == ']') {
      position++;
      return;
    }
    while (true) {
      if (next != '{') {
        throw next < 0 ? endOfInput() : notAnObject();
      }
      int length = objectLength();
      sink.accept(entry(position, length));
      position += length;
      next = skipWhitespace();
      if (next == ']') {
        position++;
        return;
      }
      if (next != ',') {
        throw next < 0 ? endOfInput() : malformed("expected ',' or ']' after an object");
      }
      position++;
      next = skipWhitespace();
      if (next == ']') {
        throw malformed("a comma before ']'");
      }
    }
  }

  /**
   * The refusal of a value that is not an object, once Jackson has read its first token as it would
   * have (a malformed one is malformed JSON, thrown from here; a well-formed one is not an object).
   */
  private ManifestException notAnObject() throws IOException {
    try (JsonParser json = valueInArray()) {
      json.nextToken();
    }
    return notAnObject(name);
  }

  /**
   * The refusal of an object the input ended in (as balancing its braces found): Jackson reads it
   * as it would have, so its reason is Jackson's (an unescaped control character in a string, a
   * missing comma) wherever that comes before the end.
   */
  private ManifestException cutShort() throws IOException {
    try (JsonParser json = valueInArray()) {
      json.nextToken();
      EntryReader.entry(name, json, holders);
    }
    return endOfInput(); // not reached: Jackson finds the same end, or an error before it
  }

  /**
   * A parser on the value at the position, inside an array as the value is (Jackson checks what
   * follows a number only at the root), then the rest of the input; not closing the input.
   */
  private JsonParser valueInArray() throws IOException {
    return parserFrom('[');
  }

  /**
   * A parser of the root object's remainder: an opening brace, then what follows the array's comma
   * (if a field must follow) or the root's closing brace, then the rest of the input.
   */
  private JsonParser rest() throws IOException {
    int next = skipWhitespace();
    if (next == ',') {
      position++;
      int field = skipWhitespace();
      if (field != '"') {
        throw field < 0 ? endOfInput() : malformed("expected a field name after the objects");
      }
    } else if (next != '}') {
      throw next < 0 ? endOfInput() : malformed("expected ',' or '}' after the objects");
    }
    return parserFrom('{');
  }

  /**
   * A parser, past its first token, of {@code opening} followed by the bytes from the position and
   * the rest of the input; it does not close the input.
   */
  private JsonParser parserFrom(char opening) throws IOException {
    byte[] held = new byte[1 + limit - position];
    held[0] = (byte) opening;
    System.arraycopy(buffer, position, held, 1, limit - position);
    JsonParser json =
        ManifestFormat.JSON.createParser(
            new SequenceInputStream(new ByteArrayInputStream(held), in));
    json.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    json.nextToken(); // the opening put in front
    return json;
  }

  /** The entry in {@code length} bytes at {@code offset} of the buffer. */
  private ManifestEntry entry(int offset, int length) throws IOException {
    EntryReader.Fields fields = plainFields(buffer, offset, offset + length);
    if (fields != null) {
      return EntryReader.entry(name, fields, holders);
    }
    try (JsonParser json = ManifestFormat.JSON.createParser(buffer, offset, length)) {
      json.nextToken();
      return EntryReader.entry(name, json, holders);
    }
  }

  /**
   * The fields of the entry in {@code bytes} from {@code from} to {@code to} if it is written as
   * {@link EntryLines} writes a plain entry; null if it is not (Jackson reads it then).
   */
  static @Nullable EntryReader.Fields plainFields(byte[] bytes, int from, int to) {
    EntryCursor at = new EntryCursor(bytes, from, to);
    EntryReader.Fields fields = new EntryReader.Fields();
    fields.object = true;
    if (!at.literal("{\"key\":\"")
        || (fields.key = at.string()) == null
        || !at.literal(",\"kind\":\"")
        || (fields.kind = at.string(KINDS)) == null
        || !at.literal(",\"phase\":\"")
        || (fields.phase = at.string(PHASES)) == null
        || !at.literal(",\"size\":")
        || (fields.size = at.number()) < 0) {
      return null;
    }
    if (at.literal(",\"crc32c\":\"") && (fields.crc32c = at.string()) == null) {
      return null;
    }
    if (at.literal(",\"sha256\":\"") && (fields.sha256 = at.string()) == null) {
      return null;
    }
    if (at.literal(",\"stored\":{") && (fields.stored = storedFields(at)) == null) {
      return null;
    }
    return at.literal("}") && at.atEnd() ? fields : null;
  }

  private static @Nullable EntryReader.Fields storedFields(EntryCursor at) {
    EntryReader.Fields stored = new EntryReader.Fields();
    stored.object = true;
    if (at.literal("\"backup\":\"")) {
      if ((stored.backup = at.string()) == null || !at.literal(",")) {
        return null;
      }
    }
    if (!at.literal("\"encoding\":\"")
        || (stored.encoding = at.string(ENCODINGS)) == null
        || !at.literal(",\"size\":")
        || (stored.size = at.number()) < 0) {
      return null;
    }
    if (at.literal(",\"crc32c\":\"") && (stored.crc32c = at.string()) == null) {
      return null;
    }
    return at.literal("}") ? stored : null;
  }

  /** The length of the JSON object at the position: its braces and brackets balanced. */
  private int objectLength() throws IOException {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int offset = 0; ; offset++) {
      if (position + offset >= limit && !fill()) {
        throw cutShort();
      }
      if (offset >= MAX_ENTRY_BYTES) {
        throw new ManifestException(
            name, "an object of \"objects\" is larger than " + MAX_ENTRY_BYTES + " bytes", null);
      }
      byte b = buffer[position + offset];
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if ((b == '}' || b == ']') && --depth == 0) {
        return offset + 1;
      }
    }
  }

  /** The next byte that is not JSON white space, not consumed; -1 at the end of the input. */
  private int skipWhitespace() throws IOException {
    while (true) {
      if (position >= limit && !fill()) {
        return -1;
      }
      int b = buffer[position] & 0xff;
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
      position++;
    }
  }

  /**
   * Reads more input after the bytes held, moving them to the buffer's start first; false at end.
   */
  private boolean fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, 2 * buffer.length);
    }
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      return false;
    }
    limit += read;
    return true;
  }

  private ManifestException malformed(String reason) {
    return new ManifestException(name, "malformed JSON (" + reason + " in \"objects\")", null);
  }

  private ManifestException endOfInput() {
    return malformed("unexpected end of input");
  }

  static ManifestException notAnObject(String name) {
    return new ManifestException(name, "\"objects\" holds something that is not an object", null);
  }
}
