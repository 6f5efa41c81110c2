package io.influxbak.store.fs;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens {@link FileSystemObjectStore}s from {@code file:} URIs such as {@code file:///var/lib/influxdb3}.
 * Setting {@code fs.sync} is {@code fsync} (default) or {@code none}.
 */
public final class FileSystemStoreProvider implements ObjectStoreProvider {
  /** The setting that chooses the {@link SyncPolicy}. */
  public static final String SYNC_PROPERTY = "fs.sync";

  @Override
  public String name() {
    return "file";
  }

  @Override
  public boolean accepts(URI uri) {
    return "file".equalsIgnoreCase(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    String sync = properties.getOrDefault(SYNC_PROPERTY, "fsync").toLowerCase(Locale.ROOT);
    SyncPolicy policy;
    switch (sync) {
      case "fsync":
        policy = SyncPolicy.FSYNC;
        break;
      case "none":
        policy = SyncPolicy.NONE;
        break;
      default:
        throw new IllegalArgumentException("Invalid " + SYNC_PROPERTY + " '" + sync + "': expected fsync or none");
    }
    return FileSystemObjectStore.open(Path.of(uri), policy);
  }
}
