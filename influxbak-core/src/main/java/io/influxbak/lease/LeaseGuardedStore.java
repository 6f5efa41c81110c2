package io.influxbak.lease;

import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A store whose changes each check first that the lease is still held; reads pass through. */
final class LeaseGuardedStore implements ObjectStore {
  private final ObjectStore store;
  private final HeldLease lease;

  LeaseGuardedStore(ObjectStore store, HeldLease lease) {
    this.store = store;
    this.lease = lease;
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
    return store.list(prefix);
  }

  @Override
  public Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    return store.childPrefixes(prefix);
  }

  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    return store.listLevel(prefix);
  }

  @Override
  public List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    return store.incompleteWrites(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    return store.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    return store.open(key);
  }

  @Override
  public Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    return store.lockOf(key);
  }

  @Override
  public void lock(ObjectKey key, ObjectLock lock) throws IOException {
    lease.checkHeld();
    store.lock(key, lock);
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    lease.checkHeld();
    return store.write(key, content, mode);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    lease.checkHeld();
    return store.copy(source, target, mode);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    lease.checkHeld();
    return store.replaceIfVersion(key, content, expectedVersion);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    lease.checkHeld();
    store.deleteIfVersion(key, expectedVersion);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    lease.checkHeld();
    store.delete(key);
  }

  @Override
  public List<ObjectKey> removeIncompleteWrites(KeyPrefix prefix) throws IOException {
    lease.checkHeld();
    return store.removeIncompleteWrites(prefix);
  }

  /** The caller's store stays open: the lease guards it only for one operation. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return store.toString();
  }
}
