package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * The bytes of an object are not what was expected (size or hash); the copy that read them failed.
 */
public final class ContentMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ObjectKey key;
  private final boolean truncated;
  private final boolean sizeDiffers;

  /**
   * @param key the object whose content did not match
   * @param reason what differed
   */
  public ContentMismatchException(ObjectKey key, String reason) {
    this(key, reason, false, false);
  }

  /**
   * @param key the object whose content did not match
   * @param reason what differed
   * @param truncated whether the stream ended before the expected size (a read that may succeed
   *     again)
   */
  public ContentMismatchException(ObjectKey key, String reason, boolean truncated) {
    this(key, reason, truncated, true);
  }

  /**
   * @param key the object whose content did not match
   * @param reason what differed
   * @param truncated whether the stream ended before the expected size
   * @param sizeDiffers whether the size differed (otherwise a hash did)
   */
  public ContentMismatchException(
      ObjectKey key, String reason, boolean truncated, boolean sizeDiffers) {
    super(
        "Content of "
            + requireNonNull(key, "key is null")
            + " does not match: "
            + requireNonNull(reason, "reason is null"));
    this.key = key;
    this.truncated = truncated;
    this.sizeDiffers = sizeDiffers || truncated;
  }

  /** Whether the size differed from the expected one (otherwise a hash did). */
  public boolean sizeDiffers() {
    return sizeDiffers;
  }

  /** Whether the stream ended before the expected size rather than delivering other bytes. */
  public boolean truncated() {
    return truncated;
  }

  /** The object whose content did not match. */
  public ObjectKey key() {
    return key;
  }
}
