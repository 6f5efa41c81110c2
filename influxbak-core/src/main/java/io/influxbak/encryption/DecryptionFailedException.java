package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * Encrypted bytes that do not decrypt: a segment that does not authenticate (the wrong key, or
 * ciphertext that was changed, truncated, reordered, or taken from another object or backup), or a
 * header that is not influxbak's. No plaintext of a segment that failed is ever returned.
 */
public final class DecryptionFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String object;

  /**
   * @param object the object (its stored key) that does not decrypt
   * @param reason what failed, naming no key material
   */
  public DecryptionFailedException(String object, String reason) {
    super(
        requireNonNull(object, "object is null") + ": " + requireNonNull(reason, "reason is null"));
    this.object = object;
  }

  /** The object that does not decrypt. */
  public String object() {
    return object;
  }
}
