package io.influxbak.store.testing;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A store that forwards every call to another; tests override the calls they want to change. */
public abstract class ForwardingObjectStore implements ObjectStore {
  private final ObjectStore delegate;

  /**
   * @param delegate the store calls go to; closed with this one
   */
  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /** The wrapped store. */
  protected final ObjectStore delegate() {
    return delegate;
  }

  @Override
  public StoreId id() {
    return delegate.id();
  }

  @Override
  public StoreCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public java.util.Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    return delegate.childPrefixes(prefix);
  }

  @Override
  public io.influxbak.store.KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    return delegate.listLevel(prefix);
  }

  @Override
  public java.util.List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    return delegate.incompleteWrites(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    return delegate.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    return delegate.open(key);
  }

  @Override
  public Optional<io.influxbak.store.ObjectLock> lockOf(ObjectKey key) throws IOException {
    return delegate.lockOf(key);
  }

  @Override
  public void lock(ObjectKey key, io.influxbak.store.ObjectLock lock) throws IOException {
    delegate.lock(key, lock);
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    return delegate.write(key, content, mode);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    return delegate.copy(source, target, mode);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    return delegate.replaceIfVersion(key, content, expectedVersion);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    delegate.deleteIfVersion(key, expectedVersion);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
