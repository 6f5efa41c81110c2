package io.influxbak.benchmarks;

import io.influxbak.store.KeyLevel;
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
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that answers like a cloud store far away: every request waits a fixed latency first, a
 * listing one wait per page of {@link #PAGE} keys (as S3, Azure and GCS page at 1,000), and counts
 * its requests. Object bytes move at memory speed: the listing is what this models.
 */
final class LatencyStore implements ObjectStore {
  static final int PAGE = 1000;

  private final ObjectStore store;
  private final long latencyMillis;
  private final AtomicLong requests = new AtomicLong();
  private final java.util.Map<String, AtomicLong> byKind =
      new java.util.concurrent.ConcurrentHashMap<>();

  LatencyStore(ObjectStore store, long latencyMillis) {
    this.store = store;
    this.latencyMillis = latencyMillis;
  }

  /** Requests made so far by kind (list page, level page, stat, open, write, ...). */
  String requestsByKind() {
    return new java.util.TreeMap<>(byKind).toString();
  }

  /** Requests made so far. */
  long requests() {
    return requests.get();
  }

  private void request() throws IOException {
    requests.incrementAndGet();
    String kind =
        StackWalker.getInstance()
            .walk(
                f -> f.skip(1).findFirst().map(StackWalker.StackFrame::getMethodName).orElse("?"));
    byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    try {
      Thread.sleep(latencyMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  @Override
  public StoreId id() {
    return store.id();
  }

  /** The wrapped store's, with listings remote (round trips), as a cloud store's are. */
  @Override
  public StoreCapabilities capabilities() {
    StoreCapabilities local = store.capabilities();
    return new StoreCapabilities(
        local.listingChecksums(), local.statChecksums(), local.serverSideCopy(), true);
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    ObjectIterator listing = store.list(prefix);
    return new ObjectIterator() {
      private long served;
      private long pages;

      @Override
      public boolean hasNext() throws IOException {
        if (served == pages * PAGE) {
          request(); // the first page, or the one after a page used up
          pages++;
        }
        return listing.hasNext();
      }

      @Override
      public ObjectInfo next() throws IOException {
        hasNext();
        served++;
        return listing.next();
      }

      @Override
      public void close() {
        listing.close();
      }
    };
  }

  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    KeyLevel level = store.listLevel(prefix);
    long entries = level.objects().size() + level.prefixes().size();
    for (long page = 0; page == 0 || page * PAGE < entries; page++) {
      request();
    }
    return level;
  }

  @Override
  public List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    request();
    return store.incompleteWrites(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    request();
    return store.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    request();
    return store.open(key);
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    request();
    return store.write(key, content, mode);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    request();
    return store.copy(source, target, mode);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String version)
      throws IOException {
    request();
    return store.replaceIfVersion(key, content, version);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String version) throws IOException {
    request();
    store.deleteIfVersion(key, version);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    request();
    store.delete(key);
  }

  @Override
  public void close() {
    store.close();
  }
}
