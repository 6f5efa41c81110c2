package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * One end of an operation (the source node, the backups, a restore's target): its location, and its
 * endpoint and settings, which override the shared {@code --endpoint} and {@code --store-property}.
 * A location is a URI ({@code s3://bucket/prefix}, {@code az://container/prefix}, {@code
 * gs://bucket/prefix}, {@code file:///path}) or a plain path, read as {@code file:}.
 */
final class StoreEnd {
  private final String flag;
  @Nullable private final String location;
  @Nullable private final String endpoint;
  private final Map<String, String> properties;

  StoreEnd(
      String flag,
      @Nullable String location,
      @Nullable String endpoint,
      Map<String, String> properties) {
    this.flag = flag;
    this.location = location;
    this.endpoint = endpoint;
    this.properties = properties;
  }

  /** The flag naming this end, for messages ({@code --backups}). */
  String flag() {
    return flag;
  }

  boolean given() {
    return location != null;
  }

  /** The location as a URI: a plain path becomes an absolute {@code file:} URI. */
  URI uri() {
    return toUri(location);
  }

  static URI toUri(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*")) {
      return URI.create(location);
    }
    return Path.of(location).toAbsolutePath().normalize().toUri();
  }

  /**
   * Opens this end with {@code shared} settings under its own. With {@code createMissingDirectory}
   * a {@code file:} location that does not exist is created (a destination or target); otherwise a
   * missing one fails in one line naming this end.
   */
  ObjectStore open(StoreOptions shared, boolean createMissingDirectory) throws IOException {
    URI uri = uri();
    if ("file".equals(uri.getScheme())) {
      Path directory = Path.of(uri);
      if (!Files.isDirectory(directory)) {
        if (!createMissingDirectory || Files.exists(directory)) {
          throw new NoSuchFileException(
              directory.toString(), null, flag + " is not an existing directory");
        }
        Files.createDirectories(directory);
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.putAll(resolved(shared.properties));
    settings.putAll(resolved(properties));
    Optional.ofNullable(endpoint)
        .or(() -> Optional.ofNullable(shared.endpoint))
        .ifPresent(
            e -> {
              for (String scheme : new String[] {"s3", "azure", "gcs"}) {
                settings.putIfAbsent(scheme + ".endpoint", e);
              }
            });
    return ObjectStores.open(uri, ImmutableMap.copyOf(settings));
  }

  /**
   * Settings with their secrets looked up: a value {@code env:NAME} is the environment variable
   * NAME, {@code file:PATH} the content of the file PATH (trailing newline dropped), so keys and
   * tokens need not appear on the command line.
   */
  static Map<String, String> resolved(Map<String, String> given) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> setting : given.entrySet()) {
      String value = setting.getValue();
      if (value.startsWith("env:")) {
        String name = value.substring("env:".length());
        value = System.getenv(name);
        if (value == null) {
          throw new IllegalArgumentException(
              "Store setting "
                  + setting.getKey()
                  + ": environment variable "
                  + name
                  + " is not set");
        }
      } else if (value.startsWith("file:")) {
        Path file = Path.of(value.substring("file:".length()));
        try {
          value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (NoSuchFileException e) {
          throw new NoSuchFileException(
              file.toString(), null, "store setting " + setting.getKey() + " reads this file");
        }
      }
      out.put(setting.getKey(), value);
    }
    return out;
  }
}
