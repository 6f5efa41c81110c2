package io.influxbak.store.fs;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens {@link FileSystemObjectStore}s from {@code file:} URIs such as {@code
 * file:///var/lib/influxdb3}. Settings: {@code fs.sync} is {@code fsync} (default) or {@code none};
 * {@code fs.owner}, as {@code user:group} (names or numeric ids), gives everything the store
 * creates that owner and group.
 */
public final class FileSystemStoreProvider implements ObjectStoreProvider {
  /** The {@link SyncPolicy}: {@code fsync} (default) or {@code none}. */
  public static final StoreSetting<SyncPolicy> SYNC =
      StoreSetting.choice(
          "fs.sync", ImmutableMap.of("fsync", SyncPolicy.FSYNC, "none", SyncPolicy.NONE));

  /** The owner and group of everything the store creates, {@code user:group}. */
  public static final StoreSetting<String> OWNER = StoreSetting.text("fs.owner");

  /** Every setting this provider reads. */
  public static final ImmutableList<StoreSetting<?>> SETTINGS = ImmutableList.of(SYNC, OWNER);

  @Override
  public String name() {
    return "file";
  }

  @Override
  public String settingsPrefix() {
    return "fs.";
  }

  @Override
  public boolean accepts(URI uri) {
    return "file".equalsIgnoreCase(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    StoreSettings settings = StoreSettings.of(settingsPrefix(), SETTINGS, properties);
    Path root;
    try {
      root = Path.of(uri);
    } catch (IllegalArgumentException e) { // file:data, file://host/x: no local absolute path
      throw new IllegalArgumentException(
          "Invalid file store location "
              + uri
              + ": a file: URI of an absolute path is needed, file:///path ("
              + e.getMessage()
              + ")",
          e);
    }
    FileSystemObjectStore store =
        FileSystemObjectStore.open(root, settings.get(SYNC, SyncPolicy.FSYNC));
    Optional<String> owner = settings.get(OWNER);
    if (owner.isEmpty()) {
      return store;
    }
    int colon = owner.get().indexOf(':');
    if (colon <= 0 || colon == owner.get().length() - 1) {
      throw new InvalidStoreSettingException(
          OWNER.key(), "Invalid " + OWNER + " '" + owner.get() + "': expected user:group");
    }
    return store.withOwnership(owner.get().substring(0, colon), owner.get().substring(colon + 1));
  }
}
