package io.influxbak.store.fs;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens {@link FileSystemObjectStore}s from {@code file:} URIs such as {@code
 * file:///var/lib/influxdb3}. Settings: {@code fs.sync} is {@code fsync} (default) or {@code none};
 * {@code fs.owner}, as {@code user:group} (names or numeric ids), gives everything the store
 * creates that owner and group.
 */
public final class FileSystemStoreProvider implements ObjectStoreProvider {
  /** The setting that chooses the {@link SyncPolicy}. */
  public static final String SYNC_PROPERTY = "fs.sync";

  /** The setting that gives created files an owner and group, {@code user:group}. */
  public static final String OWNER_PROPERTY = "fs.owner";

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
        throw new IllegalArgumentException(
            "Invalid " + SYNC_PROPERTY + " '" + sync + "': expected fsync or none");
    }
    FileSystemObjectStore store = FileSystemObjectStore.open(Path.of(uri), policy);
    String owner = properties.get(OWNER_PROPERTY);
    if (owner == null) {
      return store;
    }
    int colon = owner.indexOf(':');
    if (colon <= 0 || colon == owner.length() - 1) {
      throw new IllegalArgumentException(
          "Invalid " + OWNER_PROPERTY + " '" + owner + "': expected user:group");
    }
    return store.withOwnership(owner.substring(0, colon), owner.substring(colon + 1));
  }
}
