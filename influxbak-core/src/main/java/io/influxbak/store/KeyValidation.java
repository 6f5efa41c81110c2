package io.influxbak.store;

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
    // One pass, no allocation: a listing or a manifest checks every one of millions of keys.
    int bytes = 0;
    int segmentStart = 0;
    for (int i = 0; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        checkSegment(original, path, segmentStart, i);
        segmentStart = i + 1;
        bytes += i < path.length() ? 1 : 0;
      } else if (c >= 0x20 && c < 0x7f && c != '\\') {
        bytes++; // the common case: printable ASCII
      } else {
        bytes += checkedUtf8Length(original, path, i);
        if (Character.isHighSurrogate(c)) {
          i++; // the pair's low half, checked with it
        }
      }
    }
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidKeyException(
          original, "longer than " + MAX_KEY_BYTES + " UTF-8 bytes (" + bytes + ")");
    }
  }

  /** Refuses an empty, {@code .} or {@code ..} segment {@code path[start, end)}. */
  private static void checkSegment(String original, String path, int start, int end) {
    int length = end - start;
    if (length == 0) {
      throw new InvalidKeyException(original, "empty segment ('//' or trailing '/')");
    }
    if ((length == 1 || length == 2)
        && path.charAt(start) == '.'
        && (length == 1 || path.charAt(start + 1) == '.')) {
      throw new InvalidKeyException(original, "'" + path.substring(start, end) + "' segment");
    }
  }

  /**
   * The UTF-8 length of the character at {@code i} (of the surrogate pair it starts), refusing NUL,
   * control characters, backslashes and unpaired surrogates.
   */
  private static int checkedUtf8Length(String original, String path, int i) {
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
      return 4;
    }
    if (Character.isLowSurrogate(c)) {
      throw new InvalidKeyException(
          original, "not valid UTF-8 (unpaired surrogate at index " + i + ")");
    }
    return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
}
