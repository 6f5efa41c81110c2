package io.influxbak.store;

import java.io.IOException;
import javax.annotation.concurrent.ThreadSafe;

/**
 * A flat namespace of objects under one root, read ({@link ObjectReader}) and written: a bucket and
 * prefix, a container and prefix, or a directory. Keys are relative to that root.
 *
 * <p>Implementations are thread-safe and blocking; core runs many calls in parallel and owns all
 * parallelism and all retries of whole operations. Every method that takes a key fails with an
 * {@link IOException} whose message names the key and the reason; {@link ObjectNotFoundException}
 * and {@link ObjectAlreadyExistsException} are the two typed outcomes callers branch on. Messages
 * never contain credentials.
 *
 * <h2>Deliberately not supported</h2>
 *
 * No directories ({@link #childPrefixes} groups a listing; it creates nothing), no rename, no
 * ranged reads, no appends, no metadata beyond {@link ObjectInfo}, no retry loop of its own (the
 * SDKs retry single requests). Add a method only as a {@code default} that works on every store, or
 * one a capability announces ({@link #lock}).
 */
@ThreadSafe
public interface ObjectStore extends ObjectReader, AutoCloseable {
  /**
   * Writes {@code content} to {@code key} atomically: readers see the old object (or none) until
   * the write completes, then the whole new one; a write that fails part-way publishes nothing. The
   * content must yield exactly {@link ObjectContent#length()} bytes and match any {@link
   * ObjectContent#knownChecksums()} the adapter checks, or the write fails.
   *
   * @return what the store now holds at {@code key}, with the version ({@link ObjectInfo#etag})
   *     this write created, which {@link #replaceIfVersion} and {@link #deleteIfVersion} take
   * @throws ObjectAlreadyExistsException in {@link WriteMode#CREATE_NEW} if {@code key} exists (the
   *     existing object is untouched)
   */
  ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException;

  /**
   * Copies {@code source} to {@code target} inside this store, with the same atomicity and {@code
   * mode} semantics as {@link #write}. Adapters override this default, which streams the bytes
   * through this JVM, with the store's server-side copy ({@link
   * StoreCapabilities#serverSideCopy()}).
   *
   * @throws ObjectNotFoundException if {@code source} does not exist
   * @throws ObjectAlreadyExistsException in {@link WriteMode#CREATE_NEW} if {@code target} exists
   */
  default ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    ObjectInfo info = stat(source).orElseThrow(() -> new ObjectNotFoundException(id(), source));
    return write(target, ObjectContent.ofObject(this, info), mode);
  }

  /**
   * Replaces {@code key} with {@code content} only if the store still holds the version {@code
   * expectedVersion} of it ({@link ObjectInfo#etag} from {@link #stat} or a write), atomically
   * against every other writer: S3 {@code If-Match}, Azure {@code If-Match}, GCS {@code
   * ifGenerationMatch}, on a file system a rename of the version read. What a lease's takeover and
   * renewal are built on.
   *
   * @return what the store now holds at {@code key}, with its new version
   * @throws ObjectChangedException if {@code key} is absent or at another version (nothing changed)
   */
  ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException;

  /**
   * Deletes {@code key} only if the store still holds the version {@code expectedVersion} of it,
   * with the same condition as {@link #replaceIfVersion}: how a lease is released or broken without
   * removing a newer holder's.
   *
   * @throws ObjectChangedException if {@code key} is at another version (nothing deleted); for an
   *     absent key a store may throw it or return (S3 answers a delete of a missing key with
   *     success)
   */
  void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException;

  /**
   * Deletes {@code key}; does nothing if it does not exist. Only explicit prune and replace paths
   * call it.
   *
   * @throws ObjectLockedException if a retention still holds the object (it is untouched)
   */
  void delete(ObjectKey key) throws IOException;

  /**
   * Holds {@code key} under {@code lock}: until its date the store refuses to delete or replace the
   * object ({@link ObjectLockedException}). A lock is only ever extended: if the object already
   * holds a lock reaching as far or further, it stays as it is, and a lock's mode is never
   * weakened. Stores with locks ({@link StoreCapabilities#objectLocks()}) implement it with the
   * store's own retention (S3 {@code PutObjectRetention}, an Azure immutability policy, a GCS
   * object retention), which the bucket or container must allow.
   *
   * @throws ObjectNotFoundException if the object does not exist
   * @throws UnsupportedOperationException in this default: the store has no locks
   */
  default void lock(ObjectKey key, ObjectLock lock) throws IOException {
    throw new UnsupportedOperationException(id() + " cannot lock objects");
  }

  /**
   * Deletes what interrupted writes of earlier runs left under {@code prefix} ({@link
   * #incompleteWrites}); objects are untouched.
   *
   * @return the keys removed
   */
  default java.util.List<ObjectKey> removeIncompleteWrites(KeyPrefix prefix) throws IOException {
    java.util.List<ObjectKey> leftovers = incompleteWrites(prefix);
    for (ObjectKey key : leftovers) {
      delete(key);
    }
    return leftovers;
  }

  /**
   * Releases what this store created (clients, pools), first making durable any object it created
   * in place ({@link WriteMode#CREATE_IN_CLAIMED_ROOT}) and not yet synced; safe to call twice.
   * Never closes SDK clients or executors the caller passed in.
   */
  @Override
  void close();
}
