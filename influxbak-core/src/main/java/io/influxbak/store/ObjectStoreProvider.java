package io.influxbak.store;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Opens stores of one kind from URIs. Each adapter module registers one in {@code
 * META-INF/services/io.influxbak.store.ObjectStoreProvider}; {@link ObjectStores} finds it with
 * {@link java.util.ServiceLoader}.
 */
public interface ObjectStoreProvider {
  /** A short name for messages, for example {@code "file"} or {@code "s3"}. */
  String name();

  /**
   * The start of this provider's setting keys, such as {@code "s3."}: {@link ObjectStores} refuses
   * a key that starts with no provider's prefix, and the provider refuses one of its own it does
   * not know (see {@link io.influxbak.store.settings.StoreSettings}).
   */
  default String settingsPrefix() {
    return name() + ".";
  }

  /** Whether this provider opens {@code uri} (usually decided by the scheme alone). */
  boolean accepts(URI uri);

  /**
   * Opens a store rooted at {@code uri}.
   *
   * @param properties namespaced settings such as {@code s3.endpoint}; credentials come from the
   *     SDK's default chain unless given here, and never appear in messages
   * @throws IllegalArgumentException if the URI is malformed
   * @throws io.influxbak.store.settings.InvalidStoreSettingException if a setting under {@link
   *     #settingsPrefix()} is unknown or malformed
   */
  ObjectStore open(URI uri, Map<String, String> properties) throws IOException;
}
