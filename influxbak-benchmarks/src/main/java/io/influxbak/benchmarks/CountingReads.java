package io.influxbak.benchmarks;

import java.io.IOException;

/** A store that counts the objects opened for reading. */
final class CountingReads implements io.influxbak.store.ObjectStore {
  private final io.influxbak.store.ObjectStore store;
  private final java.util.concurrent.atomic.AtomicLong reads;

  CountingReads(
      io.influxbak.store.ObjectStore store, java.util.concurrent.atomic.AtomicLong reads) {
    this.store = store;
    this.reads = reads;
  }

  @Override
  public io.influxbak.store.StoreId id() {
    return store.id();
  }

  @Override
  public io.influxbak.store.StoreCapabilities capabilities() {
    return store.capabilities();
  }

  @Override
  public io.influxbak.store.ObjectIterator list(io.influxbak.store.KeyPrefix prefix)
      throws IOException {
    return store.list(prefix);
  }

  @Override
  public java.util.Optional<io.influxbak.store.ObjectInfo> stat(io.influxbak.store.ObjectKey key)
      throws IOException {
    return store.stat(key);
  }

  @Override
  public java.io.InputStream open(io.influxbak.store.ObjectKey key) throws IOException {
    reads.incrementAndGet();
    return store.open(key);
  }

  @Override
  public io.influxbak.store.ObjectInfo write(
      io.influxbak.store.ObjectKey key,
      io.influxbak.store.ObjectContent content,
      io.influxbak.store.WriteMode mode)
      throws IOException {
    return store.write(key, content, mode);
  }

  @Override
  public io.influxbak.store.ObjectInfo replaceIfVersion(
      io.influxbak.store.ObjectKey key, io.influxbak.store.ObjectContent content, String version)
      throws IOException {
    return store.replaceIfVersion(key, content, version);
  }

  @Override
  public void deleteIfVersion(io.influxbak.store.ObjectKey key, String version) throws IOException {
    store.deleteIfVersion(key, version);
  }

  @Override
  public void delete(io.influxbak.store.ObjectKey key) throws IOException {
    store.delete(key);
  }

  @Override
  public void close() {}
}
