package io.influxbak.store;

import static java.util.Objects.requireNonNull;

/**
 * Thrown when a string is not a valid object key or key prefix. The message names the offending key
 * (with control characters escaped) and the reason.
 */
public final class InvalidKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the rejected key, as given
   * @param reason why it was rejected
   */
  public InvalidKeyException(String key, String reason) {
    super(
        "Invalid object key \""
            + printable(key)
            + "\": "
            + requireNonNull(reason, "reason is null"));
    this.key = key;
  }

  /** The rejected key, exactly as given. */
  public String key() {
    return key;
  }

  /**
   * Escapes control characters and unpaired surrogates so a hostile key cannot corrupt a log line.
   */
  static String printable(String key) {
    StringBuilder out = new StringBuilder(Math.min(key.length(), 300));
    for (int i = 0; i < key.length() && out.length() < 300; i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (out.length() >= 300) {
      out.append("...");
    }
    return out.toString();
  }
}
