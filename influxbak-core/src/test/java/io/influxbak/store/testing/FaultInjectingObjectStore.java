package io.influxbak.store.testing;

import com.google.common.hash.Hashing;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.store.WriteMode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wraps a store and fails its calls by a seeded schedule: transient errors ({@link
 * TransientStoreException}: throttling, timeouts), permanent errors (access denied), reads cut
 * short, writes that land but report a timeout, and slow calls. The fault of a call depends only on
 * the seed, the operation, the key and how many times that operation was called on that key, so
 * runs are reproducible whatever the thread interleaving.
 */
public final class FaultInjectingObjectStore extends ForwardingObjectStore {
  /** What a call suffers. */
  public enum Fault {
    NONE,
    /** Throws {@link TransientStoreException} before doing anything. */
    TRANSIENT,
    /** Throws {@link AccessDeniedException} before doing anything. */
    PERMANENT,
    /** A read stream that ends after half of the object. */
    TRUNCATED_READ,
    /** A write or copy that lands, then reports a timeout (the SDK never saw the response). */
    LANDED_THEN_TIMEOUT,
    /** A call that takes a little longer. */
    SLOW
  }

  /**
   * How often each fault strikes, in percent of calls.
   *
   * @param transientPercent calls failing with a transient error
   * @param permanentPercent calls failing with a permanent error
   * @param truncatedPercent reads cut short
   * @param landedPercent writes and copies that land, then time out
   * @param slowPercent calls delayed by up to 2 ms
   */
  public record FaultMix(
      int transientPercent,
      int permanentPercent,
      int truncatedPercent,
      int landedPercent,
      int slowPercent) {}

  private final long seed;
  private final FaultMix mix;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong injected = new AtomicLong();

  /**
   * @param delegate the store to wrap
   * @param seed the schedule's seed
   * @param mix how often each fault strikes
   */
  public FaultInjectingObjectStore(ObjectStore delegate, long seed, FaultMix mix) {
    super(delegate);
    this.seed = seed;
    this.mix = mix;
  }

  /** How many faults were injected so far. */
  public long injected() {
    return injected.get();
  }

  /** The fault of the next call of {@code operation} on {@code key}. */
  private Fault next(String operation, String key) {
    int call =
        calls
            .computeIfAbsent(operation + "\u0000" + key, k -> new AtomicInteger())
            .incrementAndGet();
    int roll =
        Math.floorMod(
            Hashing.murmur3_32_fixed()
                .newHasher()
                .putLong(seed)
                .putString(operation, StandardCharsets.UTF_8)
                .putString(key, StandardCharsets.UTF_8)
                .putInt(call)
                .hash()
                .asInt(),
            100);
    int threshold = 0;
    Fault fault = Fault.NONE;
    if (roll < (threshold += mix.transientPercent())) {
      fault = Fault.TRANSIENT;
    } else if (roll < (threshold += mix.permanentPercent())) {
      fault = Fault.PERMANENT;
    } else if (roll < (threshold += mix.truncatedPercent())) {
      fault = Fault.TRUNCATED_READ;
    } else if (roll < (threshold += mix.landedPercent())) {
      fault = Fault.LANDED_THEN_TIMEOUT;
    } else if (roll < threshold + mix.slowPercent()) {
      fault = Fault.SLOW;
    }
    if (fault != Fault.NONE) {
      injected.incrementAndGet();
    }
    return fault;
  }

  /** Applies the faults that strike before a call does anything. */
  private Fault before(String operation, String key) throws IOException {
    Fault fault = next(operation, key);
    switch (fault) {
      case TRANSIENT:
        throw new TransientStoreException(
            "Cannot " + operation + " " + key + ": injected throttling (503 SlowDown)", null);
      case PERMANENT:
        throw new AccessDeniedException(key, null, "injected access denied on " + operation);
      case SLOW:
        LockSupport.parkNanos(1_000_000L + Math.floorMod(key.hashCode(), 1_000_000));
        break;
      case NONE:
      case TRUNCATED_READ:
      case LANDED_THEN_TIMEOUT:
        break;
    }
    return fault;
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    before("list", prefix.toString());
    return super.list(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    before("stat", key.toString());
    return super.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    Fault fault = before("open", key.toString());
    InputStream in = super.open(key);
    if (fault != Fault.TRUNCATED_READ) {
      return in;
    }
    long cut = Math.max(0, delegate().stat(key).map(ObjectInfo::size).orElse(0L) / 2);
    return new FilterInputStream(in) {
      private long served;

      @Override
      public int read() throws IOException {
        return served >= cut ? -1 : countOne(super.read());
      }

      private int countOne(int b) {
        if (b >= 0) {
          served++;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (served >= cut) {
          return -1; // the connection dropped: the stream just ends
        }
        int n = super.read(buffer, offset, (int) Math.min(length, cut - served));
        if (n > 0) {
          served += n;
        }
        return n;
      }
    };
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    Fault fault = before("write", key.toString());
    ObjectInfo written = super.write(key, content, mode);
    if (fault == Fault.LANDED_THEN_TIMEOUT) {
      throw new TransientStoreException(
          "Cannot write " + key + ": injected response timeout", null);
    }
    return written;
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    Fault fault = before("copy", target.toString());
    ObjectInfo copied = super.copy(source, target, mode);
    if (fault == Fault.LANDED_THEN_TIMEOUT) {
      throw new TransientStoreException(
          "Cannot copy to " + target + ": injected response timeout", null);
    }
    return copied;
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    before("delete", key.toString());
    super.delete(key);
  }
}
