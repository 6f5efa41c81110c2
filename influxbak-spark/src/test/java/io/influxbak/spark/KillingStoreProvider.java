package io.influxbak.spark;

import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code killing:///path} is the file store at {@code /path} whose {@link #killAtParquetWrite}-th
 * Parquet write, once, throws {@link ExecutorKilled} instead of writing: the copy thread dies
 * mid-task as it would when an executor is killed, after other copies of the same task landed. It
 * records the key of every write, in order.
 */
public final class KillingStoreProvider implements ObjectStoreProvider {
  /** Which Parquet write dies (counted across the JVM); 0 kills none. */
  static final AtomicInteger killAtParquetWrite = new AtomicInteger();

  static final AtomicInteger parquetWrites = new AtomicInteger();

  /** Every write's key, in the order the writes began. */
  static final List<ObjectKey> writes = Collections.synchronizedList(new ArrayList<>());

  static final AtomicBoolean killed = new AtomicBoolean();

  /** What a killed executor leaves: nothing catches it, nothing reports it. */
  static final class ExecutorKilled extends Error {
    private static final long serialVersionUID = 1L;

    ExecutorKilled(ObjectKey key) {
      super("executor killed while writing " + key);
    }
  }

  @Override
  public String name() {
    return "killing";
  }

  @Override
  public String settingsPrefix() {
    return "killing.";
  }

  @Override
  public boolean accepts(URI uri) {
    return "killing".equals(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    ObjectStore files = ObjectStores.open(URI.create("file://" + uri.getPath()));
    return new ForwardingObjectStore(files) {
      @Override
      public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
          throws IOException {
        writes.add(key);
        if (key.name().endsWith(".parquet")
            && parquetWrites.incrementAndGet() == killAtParquetWrite.get()
            && killed.compareAndSet(false, true)) {
          throw new ExecutorKilled(key);
        }
        return super.write(key, content, mode);
      }
    };
  }
}
