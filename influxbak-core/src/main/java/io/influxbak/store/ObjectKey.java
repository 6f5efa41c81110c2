package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import javax.annotation.concurrent.Immutable;

/**
 * The key of one object: a '/'-separated, UTF-8 path relative to a store's root.
 *
 * <p>Built only through {@link #of(String)}, which refuses hostile input: an empty key, a leading
 * or trailing '/', an empty segment, a '.' or '..' segment, NUL and other control characters, a
 * backslash, an unpaired surrogate (not encodable as UTF-8), and more than 1,024 UTF-8 bytes. Keys
 * are otherwise opaque: InfluxDB's percent-encoded segments (for example {@code %2E%2E}) are kept
 * literally. Equality is on the string.
 */
@Immutable
public final class ObjectKey implements Comparable<ObjectKey> {
  private final String value;

  private ObjectKey(String value) {
    this.value = value;
  }

  /**
   * Parses a key.
   *
   * @throws InvalidKeyException naming the key and the rule it breaks
   */
  public static ObjectKey of(String key) {
    requireNonNull(key, "key is null");
    KeyValidation.checkPath(key, key);
    return new ObjectKey(key);
  }

  /** The last segment (the "file name"). */
  public String name() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  /** The prefix that holds this key ({@link KeyPrefix#ROOT} for a key with one segment). */
  public KeyPrefix parent() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? KeyPrefix.ROOT : KeyPrefix.of(value.substring(0, slash + 1));
  }

  /** Whether this key lies under {@code prefix} (every key lies under the root). */
  public boolean isUnder(KeyPrefix prefix) {
    return value.startsWith(prefix.toString());
  }

  /**
   * The part of this key after {@code prefix}.
   *
   * @throws IllegalArgumentException if the key does not lie under the prefix
   */
  public String relativeTo(KeyPrefix prefix) {
    if (!isUnder(prefix)) {
      throw new IllegalArgumentException("Key " + value + " is not under prefix " + prefix);
    }
    return value.substring(prefix.toString().length());
  }

  @Override
  public int compareTo(ObjectKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ObjectKey && ((ObjectKey) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The key exactly as given to {@link #of(String)}. */
  @Override
  public String toString() {
    return value;
  }
}
