package io.influxbak.store.testing;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.List;

/** The keys a store lists, for assertions. */
public final class StoreKeys {
  private StoreKeys() {}

  /** Every key {@code store} lists under {@code prefix}, in listing order. */
  public static List<ObjectKey> under(ObjectStore store, KeyPrefix prefix) throws IOException {
    ImmutableList.Builder<ObjectKey> keys = ImmutableList.builder();
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext()) {
        keys.add(listing.next().key());
      }
    }
    return keys.build();
  }
}
