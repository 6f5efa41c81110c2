package io.influxbak.lease;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;

/**
 * A lease this run holds (one lease object, or one per prefix for a restore): renewed while it
 * runs, checked before each change, given back on {@link #close}.
 *
 * <p>Every change the operation makes goes through {@link #guard}, which calls {@link #checkHeld}
 * first: once the lease is lost (taken over, broken, or past its expiry without a renewal) no
 * further change is made.
 */
@ThreadSafe
public final class HeldLease implements AutoCloseable {
  /** One lease object held, at the version this run last wrote. */
  static final class Entry {
    private final ObjectKey key;
    private volatile String version;

    Entry(ObjectKey key, String version) {
      this.key = key;
      this.version = version;
    }

    ObjectKey key() {
      return key;
    }

    String version() {
      return version;
    }
  }

  private final ObjectStore store;
  private final LeaseSettings settings;
  private final RetryPolicy retry;
  private final List<Entry> entries;
  @Nullable private final ScheduledExecutorService renewer;

  @GuardedBy("this")
  private LeaseRecord record;

  /** When the next renewal is due; read without the lock on every change. */
  private volatile Instant renewDue;

  @GuardedBy("this")
  private boolean closed;

  /** Why the lease is lost; null while it is held. */
  @Nullable private volatile String lost;

  HeldLease(
      ObjectStore store,
      LeaseSettings settings,
      RetryPolicy retry,
      LeaseRecord record,
      List<Entry> entries) {
    this.store = store;
    this.settings = settings;
    this.retry = retry;
    this.entries = ImmutableList.copyOf(entries);
    this.record = record;
    this.renewDue = record.since().plus(settings.renewEvery());
    if (settings.renewInBackground()) {
      renewer =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "influxbak-lease-renewal");
                thread.setDaemon(true);
                return thread;
              });
      long every = settings.renewEvery().toMillis();
      renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    } else {
      renewer = null;
    }
  }

  /** The store's version of a lease object just written; leases need stores that give one. */
  static String version(ObjectStore store, ObjectInfo info) throws IOException {
    return info.etag()
        .orElseThrow(
            () ->
                new IOException(
                    store.id() + " gave no version for " + info.key() + ": leases need one"));
  }

  /** The store the lease is held in. */
  public ObjectStore store() {
    return store;
  }

  /** What the lease says now (its expiry moves with each renewal). */
  public synchronized LeaseRecord record() {
    return record;
  }

  /**
   * Throws unless the lease is still held; renews it first when a renewal is due. Called before
   * every change.
   *
   * @throws LeaseLostException if the lease was taken over or broken, or expired unrenewed
   */
  public void checkHeld() throws LeaseLostException {
    String reason = lost;
    if (reason != null) {
      throw new LeaseLostException(reason);
    }
    if (!settings.clock().instant().isBefore(renewDue)) {
      renew(false); // rarely: once a minute by default
    }
  }

  /**
   * Renews the lease now, proving it is still held this moment: what a backup does right before it
   * writes its manifest.
   *
   * @throws LeaseLostException if it is not
   */
  public void confirm() throws LeaseLostException {
    renew(true);
  }

  /**
   * What to report for {@code failure} of the operation holding this lease: a {@link
   * LeaseLostException} (caused by {@code failure}) if the lease is lost (checked with the store
   * now), since the loss is why the operation stopped, else {@code failure} itself.
   */
  public IOException explain(IOException failure) {
    if (failure instanceof LeaseLostException) {
      return failure;
    }
    if (lost == null) {
      try {
        // A run that stalled may fail on a read (an object a later run removed) before any change
        // finds the lease gone: ask the store.
        renew(true);
      } catch (LeaseLostException e) {
        // recorded in lost
      }
    }
    String reason = lost;
    return reason == null ? failure : new LeaseLostException(reason, failure);
  }

  /**
   * {@code store} with each change ({@code write}, {@code copy}, deletes) after {@link #checkHeld}.
   */
  public ObjectStore guard(ObjectStore store) {
    return new LeaseGuardedStore(store, this);
  }

  private void renewQuietly() {
    try {
      renew(false);
    } catch (LeaseLostException e) {
      // recorded in lost: the operation stops at its next change
    }
  }

  private synchronized void renew(boolean now) throws LeaseLostException {
    if (lost != null) {
      throw new LeaseLostException(lost);
    }
    Instant at = settings.clock().instant();
    if (closed || (!now && at.isBefore(renewDue))) {
      return;
    }
    LeaseRecord renewed = record.until(at.plus(settings.duration()));
    ObjectContent content = ObjectContent.ofBytes(renewed.toJson());
    for (Entry entry : entries) {
      try {
        entry.version = version(store, store.replaceIfVersion(entry.key, content, entry.version));
      } catch (ObjectChangedException e) {
        throw lose(
            "Lease "
                + entry.key
                + " in "
                + store.id()
                + " was taken over or broken by another run; stopped before the next change");
      } catch (IOException e) {
        if (!at.isBefore(record.until())) {
          throw lose(
              "Lease "
                  + entry.key
                  + " in "
                  + store.id()
                  + " could not be renewed before it expired at "
                  + record.until()
                  + ": "
                  + e.getMessage());
        }
        renewDue = at.plus(settings.pollEvery()); // still valid: try again soon
        return;
      }
    }
    record = renewed;
    renewDue = at.plus(settings.renewEvery());
  }

  private LeaseLostException lose(String reason) {
    lost = reason;
    return new LeaseLostException(reason);
  }

  /**
   * Gives the lease back: deletes each lease object on the version this run wrote (one taken over
   * meanwhile is left to its new holder). A failure to delete is not raised: the lease then expires
   * on its own.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (renewer != null) {
      renewer.shutdownNow();
    }
    if (lost != null) {
      return;
    }
    for (Entry entry : entries) {
      try {
        Retries.running(
            retry,
            "give back lease " + entry.key,
            () -> store.deleteIfVersion(entry.key, entry.version));
      } catch (IOException e) {
        // taken over (its new holder's now) or not deletable now: it expires on its own
      }
    }
  }
}
