package io.influxbak.store.settings;

import static java.util.Objects.requireNonNull;

/**
 * A store setting is unknown, or its value cannot be read. The message names the key and, for a
 * misspelled key, the known keys and the nearest one.
 */
public final class InvalidStoreSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the setting's key
   * @param message what is wrong with it
   */
  public InvalidStoreSettingException(String key, String message) {
    super(requireNonNull(message, "message is null"));
    this.key = requireNonNull(key, "key is null");
  }

  /** The setting's key. */
  public String key() {
    return key;
  }
}
