package io.influxbak.cli;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import java.io.IOException;
import java.net.URI;
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
    return location(shared, createMissingDirectory).open();
  }

  /**
   * This end as a {@link StoreLocation}: its settings over the shared ones, {@code env:} and {@code
   * file:} references left for {@link StoreLocation#open()} to look up where it opens the store. A
   * {@code file:} location is checked (or created) as {@link #open} does.
   */
  StoreLocation location(StoreOptions shared, boolean createMissingDirectory) throws IOException {
    URI uri = uri();
    if ("file".equals(uri.getScheme())) {
      Path directory;
      try {
        directory = Path.of(uri);
      } catch (IllegalArgumentException e) { // file:data, file://host/x: no local absolute path
        throw new IllegalArgumentException(
            flag
                + " "
                + location
                + " is neither a file: URI of an absolute path (file:///path) nor a plain path ("
                + e.getMessage()
                + ")",
            e);
      }
      if (!Files.isDirectory(directory)) {
        if (!createMissingDirectory || Files.exists(directory)) {
          throw new NoSuchFileException(
              directory.toString(), null, flag + " is not an existing directory");
        }
        Files.createDirectories(directory);
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.putAll(shared.properties);
    settings.putAll(properties);
    Optional.ofNullable(endpoint)
        .or(() -> Optional.ofNullable(shared.endpoint))
        .ifPresent(
            e -> {
              for (String scheme : new String[] {"s3", "azure", "gcs"}) {
                settings.putIfAbsent(scheme + ".endpoint", e);
              }
            });
    return StoreLocation.of(uri, settings);
  }
}
