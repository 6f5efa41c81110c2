package io.influxbak.store.testing;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A store through which a deterministic scheduler interleaves another actor (a simulated server)
 * with the caller: before every listed object, every {@code stat} and every {@code open}, the
 * scheduler runs. Listings are lazy and ordered by key, one object per page, like an S3 listing
 * continued with {@code start-after}: an object written behind the listing's position is missed,
 * one written ahead of it is seen, one deleted ahead of it is not. No threads and no sleeps: the
 * same schedule gives the same run.
 */
public final class InterleavingObjectStore extends ForwardingObjectStore {
  /** Runs the other actor at a yield point. */
  @FunctionalInterface
  public interface Scheduler {
    /** Called before each listed object, {@code stat} and {@code open}. */
    void yieldPoint() throws IOException;
  }

  private final Scheduler scheduler;

  /**
   * @param delegate the store both actors use
   * @param scheduler what runs at each yield point; called from whichever thread reaches it, one at
   *     a time
   */
  public InterleavingObjectStore(ObjectStore delegate, Scheduler scheduler) {
    super(delegate);
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) {
    requireNonNull(prefix, "prefix is null");
    return new ObjectIterator() {
      private Optional<String> position = Optional.empty();
      private ObjectInfo pending;
      private boolean done;

      @Override
      public boolean hasNext() throws IOException {
        if (pending == null && !done) {
          yieldPoint();
          pending = after(prefix, position);
          done = pending == null;
        }
        return pending != null;
      }

      @Override
      public ObjectInfo next() throws IOException {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ObjectInfo next = pending;
        pending = null;
        position = Optional.of(next.key().toString());
        return next;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    yieldPoint();
    return super.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    yieldPoint();
    return super.open(key);
  }

  private synchronized void yieldPoint() throws IOException {
    scheduler.yieldPoint();
  }

  /**
   * The first object under {@code prefix} whose key sorts after {@code position}, as the store
   * holds it now.
   */
  private ObjectInfo after(KeyPrefix prefix, Optional<String> position) throws IOException {
    ObjectInfo first = null;
    try (ObjectIterator all = delegate().list(prefix)) {
      while (all.hasNext()) {
        ObjectInfo info = all.next();
        String key = info.key().toString();
        if ((position.isEmpty() || key.compareTo(position.get()) > 0)
            && (first == null || key.compareTo(first.key().toString()) < 0)) {
          first = info;
        }
      }
    }
    return first;
  }
}
