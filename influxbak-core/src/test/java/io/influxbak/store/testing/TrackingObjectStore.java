package io.influxbak.store.testing;

import com.google.common.collect.ImmutableList;
import io.influxbak.lease.Leases;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a store and counts calls per method, bytes read through {@link #open} streams and bytes
 * written, and records the order in which writes and copies completed. Used to assert copy order
 * and that a same-store backup moves no object bytes through the client. Calls on lease objects
 * ({@link Leases#ROOT}) pass through uncounted: they coordinate runs and copy no data.
 */
public final class TrackingObjectStore extends ForwardingObjectStore {
  /** The counted operations. */
  public enum Operation {
    LIST,
    STAT,
    OPEN,
    WRITE,
    COPY,
    DELETE
  }

  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final List<ObjectKey> completedWrites = Collections.synchronizedList(new ArrayList<>());
  private final List<ObjectKey> opened = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param delegate the store to wrap; closed with this one
   */
  public TrackingObjectStore(ObjectStore delegate) {
    super(delegate);
    for (Operation operation : Operation.values()) {
      calls.put(operation, new AtomicLong());
    }
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    if (prefix.toString().startsWith(Leases.ROOT.toString())) {
      return super.list(prefix);
    }
    calls.get(Operation.LIST).incrementAndGet();
    return delegate().list(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    if (key.isUnder(Leases.ROOT)) {
      return super.stat(key);
    }
    calls.get(Operation.STAT).incrementAndGet();
    return delegate().stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    if (key.isUnder(Leases.ROOT)) {
      return super.open(key);
    }
    calls.get(Operation.OPEN).incrementAndGet();
    opened.add(key);
    return new FilterInputStream(delegate().open(key)) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytesRead.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          bytesRead.addAndGet(n);
        }
        return n;
      }
    };
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    if (key.isUnder(Leases.ROOT)) {
      return super.write(key, content, mode);
    }
    calls.get(Operation.WRITE).incrementAndGet();
    ObjectInfo info = delegate().write(key, content, mode);
    bytesWritten.addAndGet(info.size());
    completedWrites.add(key);
    return info;
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    if (target.isUnder(Leases.ROOT)) {
      return super.copy(source, target, mode);
    }
    calls.get(Operation.COPY).incrementAndGet();
    ObjectInfo info = delegate().copy(source, target, mode);
    completedWrites.add(target);
    return info;
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    if (key.isUnder(Leases.ROOT)) {
      super.delete(key);
      return;
    }
    calls.get(Operation.DELETE).incrementAndGet();
    delegate().delete(key);
  }

  /** How many times {@code operation} was called. */
  public long calls(Operation operation) {
    return calls.get(operation).get();
  }

  /** Bytes read so far through streams from {@link #open}. */
  public List<ObjectKey> opened() {
    synchronized (opened) {
      return List.copyOf(opened);
    }
  }

  /** Bytes read through {@link #open}. */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** Bytes of objects written so far through {@link #write} (copies excluded). */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Keys of completed writes and copies, in completion order. */
  public List<ObjectKey> completedWrites() {
    synchronized (completedWrites) {
      return ImmutableList.copyOf(completedWrites);
    }
  }
}
