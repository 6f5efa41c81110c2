package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A store read on behalf of an operation with {@link TransferSettings}: every call first checks the
 * operation's cancellation handle, and every object read is heard by its listener ({@link
 * ProgressListener#objectRead}, with the bytes read, when its stream ends or closes). What a check
 * reads one object at a time this way gains cancellation and progress without a settings parameter
 * in every method.
 */
public final class WatchedReader implements ObjectReader {
  private final ObjectReader store;
  private final TransferSettings settings;
  private final String operation;

  /** {@code store}, read for {@code operation} (named in a cancellation) under {@code settings}. */
  public WatchedReader(ObjectReader store, TransferSettings settings, String operation) {
    this.store = requireNonNull(store, "store is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.operation = requireNonNull(operation, "operation is null");
  }

  private void checkNotCancelled() throws OperationCancelledException {
    settings.cancellation().throwIfCancelled(operation);
    if (Thread.currentThread().isInterrupted()) {
      throw new OperationCancelledException(operation);
    }
  }

  @Override
  public StoreId id() {
    return store.id();
  }

  @Override
  public StoreCapabilities capabilities() {
    return store.capabilities();
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    checkNotCancelled();
    return store.list(prefix);
  }

  @Override
  public Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    checkNotCancelled();
    return store.childPrefixes(prefix);
  }

  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    checkNotCancelled();
    return store.listLevel(prefix);
  }

  @Override
  public List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    checkNotCancelled();
    return store.incompleteWrites(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    checkNotCancelled();
    return store.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    checkNotCancelled();
    long[] read = new long[1];
    return new WatchedInputStream(
        store.open(key), this::checkNotCancelled, bytes -> read[0] += bytes) {
      private boolean heard;

      @Override
      public void close() throws IOException {
        super.close();
        if (!heard) {
          heard = true;
          Listeners.tell(() -> settings.progress().objectRead(key, read[0]));
        }
      }
    };
  }
}
