package io.influxbak.store;

import java.nio.charset.StandardCharsets;

/** The key rules shared by {@link ObjectKey} and {@link KeyPrefix}. */
final class KeyValidation {
  /**
   * S3 and GCS both cap keys at 1,024 UTF-8 bytes; Azure allows more, so the smaller limit is
   * portable.
   */
  static final int MAX_KEY_BYTES = 1024;

  private KeyValidation() {}

  /**
   * Checks every segment of a non-empty, slash-separated path that neither starts nor ends with
   * '/'.
   */
  static void checkPath(String original, String path) {
    if (path.isEmpty()) {
      throw new InvalidKeyException(original, "empty key");
    }
    if (path.startsWith("/")) {
      throw new InvalidKeyException(original, "absolute key (leading '/')");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        throw new InvalidKeyException(original, "NUL character at index " + i);
      }
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidKeyException(original, "control character at index " + i);
      }
      if (c == '\\') {
        throw new InvalidKeyException(original, "backslash at index " + i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
          throw new InvalidKeyException(
              original, "not valid UTF-8 (unpaired surrogate at index " + i + ")");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new InvalidKeyException(
            original, "not valid UTF-8 (unpaired surrogate at index " + i + ")");
      }
    }
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      String segment = slash < 0 ? path.substring(start) : path.substring(start, slash);
      if (segment.isEmpty()) {
        throw new InvalidKeyException(original, "empty segment ('//' or trailing '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidKeyException(original, "'" + segment + "' segment");
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    int bytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidKeyException(
          original, "longer than " + MAX_KEY_BYTES + " UTF-8 bytes (" + bytes + ")");
    }
  }
}
