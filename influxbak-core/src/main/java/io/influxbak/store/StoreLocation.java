package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.concurrent.Immutable;

/**
 * Where a store is, as data: its URI and settings, from which a process that never saw the opened
 * store (an executor of a distributed engine) opens it with {@link #open()}.
 *
 * <p>A setting's value may name where its secret is instead of holding it: {@code env:NAME} is the
 * environment variable NAME, {@code file:PATH} the content of the file PATH (trailing newline
 * dropped). They are looked up by {@link #open()}, in the process that opens the store, so such a
 * location carries no secret. A setting holding a key itself travels wherever the location does;
 * without settings each SDK finds credentials by its own default chain where the store is opened.
 * {@link #toString()} names the URI without user info or query, and the settings' keys, never their
 * values.
 *
 * @param uri the store, as {@link ObjectStores#open(URI, Map)} takes it
 * @param properties its settings, such as {@code s3.endpoint}
 */
@Immutable
public record StoreLocation(URI uri, ImmutableMap<String, String> properties) {
  /** Checks the parts. */
  public StoreLocation {
    requireNonNull(uri, "uri is null");
    requireNonNull(properties, "properties is null");
  }

  /** A store with these settings. */
  public static StoreLocation of(URI uri, Map<String, String> properties) {
    return new StoreLocation(uri, ImmutableMap.copyOf(properties));
  }

  /** A store with no settings. */
  public static StoreLocation of(URI uri) {
    return new StoreLocation(uri, ImmutableMap.of());
  }

  /**
   * Opens the store, its {@code env:} and {@code file:} settings looked up here.
   *
   * @throws StoreNotAvailableException if no provider on the class path accepts the URI
   * @throws IllegalArgumentException if a setting names an environment variable that is not set
   * @throws NoSuchFileException if a setting names a file that does not exist
   */
  public ObjectStore open() throws IOException {
    return ObjectStores.open(uri, resolved(properties));
  }

  /**
   * Settings with their secrets looked up: {@code env:NAME} becomes the environment variable NAME,
   * {@code file:PATH} the content of the file PATH (trailing newline dropped).
   *
   * @throws IllegalArgumentException if a setting names an environment variable that is not set
   * @throws NoSuchFileException if a setting names a file that does not exist
   */
  public static ImmutableMap<String, String> resolved(Map<String, String> given)
      throws IOException {
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
    return ImmutableMap.copyOf(out);
  }

  /** The URI without user info or query, and the settings' keys (never their values). */
  @Override
  public String toString() {
    return ObjectStores.redact(uri)
        + (properties.isEmpty() ? "" : " " + properties.keySet().stream().sorted().toList());
  }
}
