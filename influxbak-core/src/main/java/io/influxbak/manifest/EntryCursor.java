package io.influxbak.manifest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A position in one manifest entry's bytes, moved on by each part that matches: how {@link
 * EntryScanner} takes the fields of an entry written as {@link EntryLines} writes it.
 */
final class EntryCursor {
  /** The longest string taken from the bytes; a longer one is left to Jackson's own limit. */
  private static final int MAX_PLAIN_STRING = 1 << 20;

  private final byte[] bytes;
  private final int to;
  private int at;

  EntryCursor(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.at = from;
    this.to = to;
  }

  /** Moves past {@code text} if it comes next (ASCII); else stays. */
  boolean literal(String text) {
    if (to - at < text.length() || !matches(text)) {
      return false;
    }
    at += text.length();
    return true;
  }

  /** A string's text up to its closing quote, moved past; null unless plain printable ASCII. */
  @Nullable
  String string() {
    int start = at;
    for (int i = at; i < to && i - start <= MAX_PLAIN_STRING; i++) {
      byte b = bytes[i];
      if (b == '"') {
        at = i + 1;
        return new String(bytes, start, i - start, StandardCharsets.US_ASCII);
      }
      if (b < 0x20 || b > 0x7e || b == '\\') {
        return null;
      }
    }
    return null;
  }

  /** As {@link #string()}; a text in {@code known} is that list's own instance. */
  @Nullable
  String string(List<String> known) {
    for (String text : known) {
      int length = text.length();
      if (to - at > length && bytes[at + length] == '"' && matches(text)) {
        at += length + 1;
        return text;
      }
    }
    return string();
  }

  /** Whether {@code text} (ASCII) comes next. */
  private boolean matches(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (bytes[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A JSON integer from 0 to 18 digits long, moved past; -1 for anything else. */
  long number() {
    int start = at;
    long value = 0;
    int i = at;
    while (i < to && i - start < 19 && bytes[i] >= '0' && bytes[i] <= '9') {
      value = value * 10 + (bytes[i] - '0');
      i++;
    }
    int digits = i - start;
    boolean digitFollows = i < to && bytes[i] >= '0' && bytes[i] <= '9';
    if (digits == 0 || digits > 18 || digitFollows || (digits > 1 && bytes[start] == '0')) {
      return -1;
    }
    at = i;
    return value;
  }

  boolean atEnd() {
    return at == to;
  }
}
