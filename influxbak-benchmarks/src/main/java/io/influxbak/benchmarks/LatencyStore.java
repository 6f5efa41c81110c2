package io.influxbak.benchmarks;

import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that answers like a cloud store far away: every request waits a fixed latency first, a
 * listing one wait per page of {@link #PAGE} keys (as S3, Azure and GCS page at 1,000), and counts
 * its requests by kind. Object bytes move at memory speed: the listing is what this models. The
 * wait is the model's latency itself, not a test's synchronisation.
 */
final class LatencyStore extends ForwardingObjectStore {
  static final int PAGE = 1000;

  private final long latencyMillis;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();

  LatencyStore(ObjectStore store, long latencyMillis) {
    super(store);
    this.latencyMillis = latencyMillis;
  }

  /** Requests made so far by kind (list page, level page, stat, open, write, ...). */
  String requestsByKind() {
    return new TreeMap<>(byKind).toString();
  }

  /** Requests made so far. */
  long requests() {
    return requests.get();
  }

  private void request(String kind) throws IOException {
    requests.incrementAndGet();
    byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    try {
      Thread.sleep(latencyMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** The wrapped store's, with listings remote (round trips), as a cloud store's are. */
  @Override
  public StoreCapabilities capabilities() {
    return super.capabilities().withRemoteListing();
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    ObjectIterator listing = super.list(prefix);
    return new ObjectIterator() {
      private long served;
      private long pages;

      @Override
      public boolean hasNext() throws IOException {
        if (served == pages * PAGE) {
          request("list page"); // the first page, or the one after a page used up
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
    KeyLevel level = super.listLevel(prefix);
    long entries = level.objects().size() + level.prefixes().size();
    for (long page = 0; page == 0 || page * PAGE < entries; page++) {
      request("level page");
    }
    return level;
  }

  /** A level listing's prefixes, its pages waited for (the forwarding store would skip them). */
  @Override
  public Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    return listLevel(prefix).prefixes();
  }

  @Override
  public List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    request("incompleteWrites");
    return super.incompleteWrites(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    request("stat");
    return super.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    request("open");
    return super.open(key);
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    request("write");
    return super.write(key, content, mode);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    request("copy");
    return super.copy(source, target, mode);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String version)
      throws IOException {
    request("replaceIfVersion");
    return super.replaceIfVersion(key, content, version);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String version) throws IOException {
    request("deleteIfVersion");
    super.deleteIfVersion(key, version);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    request("delete");
    super.delete(key);
  }
}
