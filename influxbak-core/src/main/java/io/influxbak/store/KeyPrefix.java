package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import javax.annotation.concurrent.Immutable;

/**
 * A directory-like listing prefix: either the {@link #ROOT} (empty) or one or more valid key
 * segments followed by '/'. So listing {@code node0/} never returns {@code node0-old/x}.
 *
 * <p>{@link #of(String)} accepts the prefix with or without its trailing '/' and applies the {@link
 * ObjectKey} rules to its segments.
 */
@Immutable
public final class KeyPrefix {
  /** The empty prefix: every key of a store lies under it. */
  public static final KeyPrefix ROOT = new KeyPrefix("");

  private final String value;

  private KeyPrefix(String value) {
    this.value = value;
  }

  /**
   * Parses a prefix; {@code ""} gives {@link #ROOT}, and a missing trailing '/' is added.
   *
   * @throws InvalidKeyException naming the prefix and the rule it breaks
   */
  public static KeyPrefix of(String prefix) {
    requireNonNull(prefix, "prefix is null");
    if (prefix.isEmpty()) {
      return ROOT;
    }
    String path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    KeyValidation.checkPath(prefix, path);
    return new KeyPrefix(path + "/");
  }

  /** Whether this is the empty prefix. */
  public boolean isRoot() {
    return value.isEmpty();
  }

  /**
   * The prefix {@code this + relative + "/"}.
   *
   * @throws InvalidKeyException if {@code relative} is not a valid path
   */
  public KeyPrefix resolvePrefix(String relative) {
    return of(value + relative);
  }

  /**
   * The key {@code this + relative}.
   *
   * @throws InvalidKeyException if the result is not a valid key
   */
  public ObjectKey resolve(String relative) {
    return ObjectKey.of(value + relative);
  }

  /** The key {@code this + key}: {@code key} itself for the root. */
  public ObjectKey resolve(ObjectKey key) {
    return value.isEmpty() ? key : ObjectKey.of(value + key);
  }

  /** Whether {@code other} lies under (or equals) this prefix. */
  public boolean contains(KeyPrefix other) {
    return other.value.startsWith(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyPrefix && ((KeyPrefix) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** For messages: the prefix, or {@code "the root"} (its {@link #toString} is empty). */
  public String displayName() {
    return isRoot() ? "the root" : value;
  }

  /** The prefix with its trailing '/', or {@code ""} for the root. */
  @Override
  public String toString() {
    return value;
  }
}
