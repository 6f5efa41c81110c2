package io.influxbak.store.testing;

import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.LeaseState;
import io.influxbak.lease.Leases;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store whose process "crashes" at its {@code n}-th change (write, copy or delete, counted from
 * 1): that change does not happen, and from then on every call fails, as nothing runs after a
 * crash. The store under it keeps what was done before, which is what a later run finds. With
 * {@code n} beyond the last change, nothing crashes and {@link #changes()} counts the changes, so a
 * test can crash a run at each of them in turn. Lease objects ({@link Leases#ROOT}) are not
 * counted: a crash leaves the lease behind, as a killed process does.
 */
public final class CrashingObjectStore extends ForwardingObjectStore {
  /** Thrown for the crash and for every call after it. */
  public static final class CrashException extends IOException {
    private static final long serialVersionUID = 1L;

    CrashException(String what) {
      super("simulated crash at " + what);
    }
  }

  private final long crashAt;
  private final AtomicLong changes = new AtomicLong();
  private volatile boolean crashed;

  /**
   * @param crashAt the change that crashes (1 for the first); {@link Long#MAX_VALUE} for none
   */
  public CrashingObjectStore(ObjectStore delegate, long crashAt) {
    super(delegate);
    this.crashAt = crashAt;
  }

  /**
   * Breaks every lease left in {@code store}, as an operator does after a killed run ({@code
   * break-lease --force}) instead of waiting until it is stale.
   *
   * @return how many were broken
   */
  public static int breakLeases(ObjectStore store) throws IOException {
    Leases leases = Leases.in(store, LeaseSettings.defaults());
    int broken = 0;
    for (LeaseState lease : leases.list()) {
      leases.breakLease(lease.name(), true);
      broken++;
    }
    return broken;
  }

  /** Changes made (or attempted, for the one that crashed). */
  public long changes() {
    return changes.get();
  }

  /** Whether the crash happened. */
  public boolean crashed() {
    return crashed;
  }

  private void alive(String what) throws CrashException {
    if (crashed) {
      throw new CrashException(what + " (after the crash)");
    }
  }

  private void change(String what, ObjectKey key) throws CrashException {
    alive(what);
    if (key.isUnder(Leases.ROOT)) {
      return; // a lease is not a change of the data whose crash points are counted
    }
    if (changes.incrementAndGet() >= crashAt) {
      crashed = true;
      throw new CrashException(what);
    }
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    alive("list " + prefix);
    return super.list(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    alive("stat " + key);
    return super.stat(key);
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    alive("open " + key);
    return super.open(key);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    change("replace " + key, key);
    return super.replaceIfVersion(key, content, expectedVersion);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    change("delete " + key, key);
    super.deleteIfVersion(key, expectedVersion);
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    change("write " + key, key);
    return super.write(key, content, mode);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    change("copy to " + target, target);
    return super.copy(source, target, mode);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    change("delete " + key, key);
    super.delete(key);
  }

  @Override
  public Optional<io.influxbak.store.ObjectLock> lockOf(ObjectKey key) throws IOException {
    alive("read the lock of " + key);
    return super.lockOf(key);
  }

  @Override
  public void lock(ObjectKey key, io.influxbak.store.ObjectLock lock) throws IOException {
    change("lock " + key, key);
    super.lock(key, lock);
  }
}
