package io.influxbak.store.testing;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.ProxyInputStream;

/**
 * A strict in-memory {@link ObjectStore}: writes publish only complete content, a second {@code
 * CREATE_NEW} fails, listings are snapshots, and {@link #checkNoOpenStreams()} catches leaked
 * readers. Stores CRC32C and MD5 like GCS does and reports both from listings and stat. Made by
 * {@link #withLocks}, it has object locks and enforces them as the cloud stores do: a locked object
 * is neither deleted nor replaced until its date has passed on the given clock.
 */
public final class InMemoryObjectStore implements ObjectStore {
  private static final AtomicLong INSTANCES = new AtomicLong();

  private record Stored(byte[] data, Instant modified, String etag, Set<Checksum> checksums) {}

  private final StoreId id = new StoreId("memory", "store-" + INSTANCES.incrementAndGet(), "");
  private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
  private final Map<Object, ObjectKey> openStreams = new ConcurrentHashMap<>();
  private final AtomicLong etags = new AtomicLong();
  private final Map<String, ObjectLock> locks = new ConcurrentHashMap<>();
  private final AtomicLong refusedDeletes = new AtomicLong();
  @Nullable private final Clock lockClock;

  /** A store without object locks. */
  public InMemoryObjectStore() {
    this(null);
  }

  private InMemoryObjectStore(@Nullable Clock lockClock) {
    this.lockClock = lockClock;
  }

  /** A store with object locks, whose retentions pass by {@code clock}. */
  public static InMemoryObjectStore withLocks(Clock clock) {
    return new InMemoryObjectStore(requireNonNull(clock, "clock is null"));
  }

  @Override
  public Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    if (!objects.containsKey(key.toString())) {
      throw new ObjectNotFoundException(id, key);
    }
    return Optional.ofNullable(locks.get(key.toString()));
  }

  @Override
  public void lock(ObjectKey key, ObjectLock lock) throws IOException {
    if (lockClock == null) {
      throw new UnsupportedOperationException(id + " cannot lock objects");
    }
    if (!objects.containsKey(key.toString())) {
      throw new ObjectNotFoundException(id, key);
    }
    synchronized (locks) {
      lock.extending(Optional.ofNullable(locks.get(key.toString())))
          .ifPresent(extended -> locks.put(key.toString(), extended));
    }
  }

  /**
   * Removes the lock on {@code key} as an administrator bypassing governance would, for tests of
   * what finds an unlocked object.
   */
  public void unlock(ObjectKey key) {
    locks.remove(key.toString());
  }

  /**
   * Deletes this store refused because a lock still held the object: what a caller that must never
   * ask for one (a prune) is checked against.
   */
  public long refusedDeletes() {
    return refusedDeletes.get();
  }

  private void checkNotLockedForDelete(ObjectKey key) throws ObjectLockedException {
    try {
      checkNotLocked(key);
    } catch (ObjectLockedException e) {
      refusedDeletes.incrementAndGet();
      throw e;
    }
  }

  private void checkNotLocked(ObjectKey key) throws ObjectLockedException {
    ObjectLock lock = locks.get(key.toString());
    if (lock != null && lockClock != null && lock.holdsAt(lockClock.instant())) {
      throw new ObjectLockedException(id, key, lock.toString());
    }
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public StoreCapabilities capabilities() {
    Set<ChecksumAlgorithm> nativeChecksums =
        ImmutableSet.of(ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.MD5);
    StoreCapabilities capabilities = new StoreCapabilities(nativeChecksums, nativeChecksums, true);
    return lockClock == null ? capabilities : capabilities.withObjectLocks();
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) {
    // Keys sort as strings, so every key under the prefix follows the prefix string itself,
    // contiguously. Read as the caller goes, as a cloud store's pages are (weakly consistent, as
    // they are): a caller that stops after the first keys costs what they cost, not the prefix's.
    String start = prefix.toString();
    Iterator<ObjectInfo> listed =
        objects.tailMap(start, true).entrySet().stream()
            .takeWhile(entry -> entry.getKey().startsWith(start))
            .map(entry -> info(ObjectKey.of(entry.getKey()), entry.getValue()))
            .iterator();
    return ObjectIterator.of(() -> listed);
  }

  /** A delimiter listing: past each deeper prefix it skips to the first key after it. */
  @Override
  public KeyLevel listLevel(KeyPrefix prefix) {
    String start = prefix.toString();
    List<ObjectInfo> direct = new ArrayList<>();
    Set<KeyPrefix> children = new java.util.HashSet<>();
    Map.Entry<String, Stored> entry = objects.ceilingEntry(start);
    while (entry != null && entry.getKey().startsWith(start)) {
      String rest = entry.getKey().substring(start.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        direct.add(info(ObjectKey.of(entry.getKey()), entry.getValue()));
        entry = objects.higherEntry(entry.getKey());
      } else {
        children.add(prefix.resolvePrefix(rest.substring(0, slash)));
        // '0' follows '/': the first key after every key under this child prefix.
        entry = objects.ceilingEntry(start + rest.substring(0, slash) + '0');
      }
    }
    return new KeyLevel(direct, children);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) {
    Stored stored = objects.get(key.toString());
    return stored == null ? Optional.empty() : Optional.of(info(key, stored));
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    Stored stored = objects.get(key.toString());
    if (stored == null) {
      throw new ObjectNotFoundException(id, key);
    }
    Object token = new Object();
    openStreams.put(token, key);
    return new ProxyInputStream(new ByteArrayInputStream(stored.data())) {
      @Override
      public void close() throws IOException {
        openStreams.remove(token);
        super.close();
      }
    };
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    Stored stored = stored(key, content);
    switch (mode) {
      case CREATE_NEW:
      case CREATE_IN_CLAIMED_ROOT:
        if (objects.putIfAbsent(key.toString(), stored) != null) {
          throw new ObjectAlreadyExistsException(id, key);
        }
        break;
      case REPLACE:
      case REPLACE_IN_CLAIMED_ROOT:
        checkNotLocked(key);
        objects.put(key.toString(), stored);
        break;
    }
    return info(key, stored);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    Stored stored = stored(key, content);
    checkNotLocked(key);
    Stored current = objects.get(key.toString());
    if (current == null
        || !current.etag().equals(expectedVersion)
        || !objects.replace(key.toString(), current, stored)) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
    return info(key, stored);
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    checkNotLockedForDelete(key);
    Stored current = objects.get(key.toString());
    if (current == null
        || !current.etag().equals(expectedVersion)
        || !objects.remove(key.toString(), current)) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
  }

  private Stored stored(ObjectKey key, ObjectContent content) throws IOException {
    byte[] data;
    try (InputStream in = content.openStream()) {
      data = IOUtils.toByteArray(in);
    }
    WriteCheck check = WriteCheck.of(id, key, content);
    check.update(data, 0, data.length);
    Set<Checksum> checksums =
        ImmutableSet.of(check.finish(), Checksum.of(ChecksumAlgorithm.MD5, md5(data)));
    for (Checksum known : content.knownChecksums()) {
      Optional<Checksum> actual =
          checksums.stream().filter(c -> c.algorithm() == known.algorithm()).findFirst();
      if (actual.isPresent() && !actual.get().equals(known)) {
        throw new ContentMismatchException(
            key, "writing to " + id + ": content " + actual.get() + ", declared " + known);
      }
    }
    return new Stored(data, Instant.now(), Long.toString(etags.incrementAndGet()), checksums);
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    Stored stored = objects.get(source.toString());
    if (stored == null) {
      throw new ObjectNotFoundException(id, source);
    }
    Stored copy =
        new Stored(
            stored.data(),
            Instant.now(),
            Long.toString(etags.incrementAndGet()),
            stored.checksums());
    switch (mode) {
      case CREATE_NEW:
      case CREATE_IN_CLAIMED_ROOT:
        if (objects.putIfAbsent(target.toString(), copy) != null) {
          throw new ObjectAlreadyExistsException(id, target);
        }
        break;
      case REPLACE:
      case REPLACE_IN_CLAIMED_ROOT:
        checkNotLocked(target);
        objects.put(target.toString(), copy);
        break;
    }
    return info(target, copy);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    checkNotLockedForDelete(key);
    objects.remove(key.toString());
    locks.remove(key.toString());
  }

  @Override
  public void close() {}

  /** MD5, which stores keep as a content checksum (not for security). */
  static byte[] md5(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("MD5").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }

  /** Number of objects held. */
  public int size() {
    return objects.size();
  }

  /** The bytes of an object, for assertions. */
  public Optional<byte[]> bytes(ObjectKey key) {
    Stored stored = objects.get(key.toString());
    return stored == null ? Optional.empty() : Optional.of(stored.data().clone());
  }

  /**
   * Fails if a stream returned by {@link #open} is still open.
   *
   * @throws IllegalStateException naming the keys of the leaked streams
   */
  public void checkNoOpenStreams() {
    if (!openStreams.isEmpty()) {
      throw new IllegalStateException(
          "Streams left open: " + ImmutableSet.copyOf(openStreams.values()));
    }
  }

  private ObjectInfo info(ObjectKey key, Stored stored) {
    return new ObjectInfo(
        key,
        stored.data().length,
        Optional.of(stored.modified()),
        Optional.of(stored.etag()),
        stored.checksums());
  }
}
