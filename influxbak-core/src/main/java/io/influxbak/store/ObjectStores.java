package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.settings.InvalidStoreSettingException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens stores from URIs through the {@link ObjectStoreProvider}s found by {@link ServiceLoader}.
 */
public final class ObjectStores {
  /** Which module provides which scheme, for the message when none is on the class path. */
  private static final ImmutableMap<String, String> MODULE_BY_SCHEME =
      ImmutableMap.<String, String>builder()
          .put("file", "io.influxbak:influxbak-fs")
          .put("s3", "io.influxbak:influxbak-s3")
          .put("s3a", "io.influxbak:influxbak-s3")
          .put("az", "io.influxbak:influxbak-azure")
          .put("abfs", "io.influxbak:influxbak-azure")
          .put("https", "io.influxbak:influxbak-azure")
          .put("gs", "io.influxbak:influxbak-gcs")
          .buildOrThrow();

  private ObjectStores() {}

  /** Opens the store at {@code uri} with no extra settings. */
  public static ObjectStore open(URI uri) throws IOException {
    return open(uri, ImmutableMap.of());
  }

  /**
   * Opens the store at {@code uri}.
   *
   * @throws StoreNotAvailableException if no provider on the class path accepts the URI
   */
  public static ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    requireNonNull(uri, "uri is null");
    requireNonNull(properties, "properties is null");
    List<ObjectStoreProvider> providers = providers();
    refuseUnclaimedSettings(properties, providers);
    for (ObjectStoreProvider provider : providers) {
      if (provider.accepts(uri)) {
        return provider.open(uri, ImmutableMap.copyOf(properties));
      }
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String module = MODULE_BY_SCHEME.get(scheme);
    String found =
        providers.isEmpty()
            ? "none"
            : providers.stream().map(ObjectStoreProvider::name).collect(Collectors.joining(", "));
    throw new StoreNotAvailableException(
        "Cannot open store "
            + redact(uri)
            + ": no store provider accepts scheme '"
            + scheme
            + "'"
            + (module == null ? "" : "; add the module " + module + " to the class path")
            + " (providers found: "
            + found
            + ")");
  }

  /**
   * Refuses a setting no provider on the class path would read (its key starts with none of their
   * prefixes): it would otherwise do nothing, silently.
   */
  private static void refuseUnclaimedSettings(
      Map<String, String> properties, List<ObjectStoreProvider> providers) {
    List<String> prefixes =
        providers.stream().map(ObjectStoreProvider::settingsPrefix).distinct().sorted().toList();
    if (prefixes.isEmpty()) {
      return; // no provider at all: the caller learns which module to add
    }
    for (String key : properties.keySet()) {
      if (prefixes.stream().noneMatch(key::startsWith)) {
        throw new InvalidStoreSettingException(
            key,
            "Unknown store setting '"
                + key
                + "': settings start with the store's prefix, one of "
                + String.join(", ", prefixes)
                + " here");
      }
    }
  }

  /** The providers on the class path, in {@link ServiceLoader} order. */
  public static List<ObjectStoreProvider> providers() {
    return ImmutableList.copyOf(
        ServiceLoader.load(ObjectStoreProvider.class, ObjectStores.class.getClassLoader()));
  }

  /** The URI without user info or query, which may carry keys or SAS tokens. */
  public static String redact(URI uri) {
    if (uri.isOpaque()) {
      return uri.getScheme()
          + ":"
          + (uri.getSchemeSpecificPart().contains("?")
              ? "<redacted>"
              : uri.getSchemeSpecificPart());
    }
    StringBuilder out = new StringBuilder();
    if (uri.getScheme() != null) {
      out.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      out.append(uri.getHost());
      if (uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
    } else if (uri.getRawAuthority() != null && !uri.getRawAuthority().contains("@")) {
      out.append(uri.getRawAuthority());
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    }
    return out.toString();
  }
}
