package io.influxbak.encryption;

import java.io.IOException;
import java.util.Map;

/**
 * Opens {@link KeyEncryptionKey}s held by a key service, found through {@link
 * java.util.ServiceLoader} by {@link KeyEncryptionKeys}: an adapter module registers one in {@code
 * META-INF/services/io.influxbak.encryption.KeyEncryptionKeyProvider}.
 */
public interface KeyEncryptionKeyProvider {
  /** The scheme of the specifications this provider opens, such as {@code aws-kms}. */
  String scheme();

  /**
   * The key {@code name} (what follows {@code <scheme>:} in the specification).
   *
   * @param properties namespaced settings such as {@code s3.region} (the adapter's store settings);
   *     credentials come from the SDK's default chain unless given here, and never appear in
   *     messages
   */
  KeyEncryptionKey open(String name, Map<String, String> properties) throws IOException;
}
