package io.influxbak.task;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.testing.ForwardingObjectStore;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code mem://<name>} as a store the test registered under that name, so that tasks opened
 * from a {@link StoreLocation} reach the same in-memory store as the driver. Each open is a view
 * whose close leaves the registered store open.
 */
public final class MemoryStoreProvider implements ObjectStoreProvider {
  private static final Map<String, ObjectStore> STORES = new ConcurrentHashMap<>();

  /** Registers {@code store} under a new name; returns its location. */
  public static StoreLocation register(ObjectStore store) {
    String name = "s" + UUID.randomUUID().toString().replace("-", "");
    STORES.put(name, store);
    return StoreLocation.of(URI.create("mem://" + name));
  }

  @Override
  public String name() {
    return "mem";
  }

  @Override
  public boolean accepts(URI uri) {
    return "mem".equals(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    ObjectStore store = STORES.get(uri.getHost());
    if (store == null) {
      throw new IOException("No store registered as " + uri);
    }
    return new ForwardingObjectStore(store) {
      @Override
      public void close() {}
    };
  }
}
