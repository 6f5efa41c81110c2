package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens a key-encryption key from a specification as an operator writes it: {@code file:PATH} or
 * {@code env:NAME} for a {@link LocalKey}, or {@code <scheme>:<name>} for a key service's key
 * ({@code aws-kms:arn:aws:kms:...} with {@code influxbak-s3} on the class path).
 */
public final class KeyEncryptionKeys {
  private KeyEncryptionKeys() {}

  /** The key {@code spec} names, with no settings. */
  public static KeyEncryptionKey open(String spec) throws IOException {
    return open(spec, ImmutableMap.of());
  }

  /**
   * The key {@code spec} names.
   *
   * @param properties settings for a key service's client (see {@link KeyEncryptionKeyProvider})
   * @throws IllegalArgumentException if the specification names no known kind of key, or a local
   *     key that is not one
   */
  public static KeyEncryptionKey open(String spec, Map<String, String> properties)
      throws IOException {
    requireNonNull(spec, "spec is null");
    requireNonNull(properties, "properties is null");
    int colon = spec.indexOf(':');
    String scheme = colon < 0 ? "" : spec.substring(0, colon);
    String name = spec.substring(colon + 1);
    if (scheme.equals("file")) {
      return LocalKey.fromFile(Path.of(name));
    }
    if (scheme.equals("env")) {
      return LocalKey.fromEnvironment(name);
    }
    List<KeyEncryptionKeyProvider> providers = new ArrayList<>();
    ServiceLoader.load(KeyEncryptionKeyProvider.class).forEach(providers::add);
    for (KeyEncryptionKeyProvider provider : providers) {
      if (provider.scheme().equals(scheme)) {
        return provider.open(name, properties);
      }
    }
    throw new IllegalArgumentException(
        "not a key: "
            + (scheme.isEmpty() ? "(no scheme)" : scheme + ":...")
            + "; give file:PATH or env:NAME (a 256-bit key in base64)"
            + (providers.isEmpty()
                ? ""
                : ", or one of "
                    + providers.stream()
                        .map(p -> p.scheme() + ":NAME")
                        .collect(Collectors.joining(", "))));
  }
}
