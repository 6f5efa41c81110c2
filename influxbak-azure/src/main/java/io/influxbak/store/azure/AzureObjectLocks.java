package io.influxbak.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobImmutabilityPolicy;
import com.azure.storage.blob.models.BlobImmutabilityPolicyMode;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Version-level immutability policies on single blobs (the container must support version-level
 * immutability): the held policy is read with the blob's properties and only ever extended ({@link
 * ObjectLock#extending}), by Set Blob Immutability Policy. GOVERNANCE is {@code Unlocked},
 * COMPLIANCE {@code Locked}.
 */
final class AzureObjectLocks {
  private final StoreId id;
  private final Duration timeout;
  private final boolean enabled;

  AzureObjectLocks(StoreId id, Duration timeout, boolean enabled) {
    this.id = id;
    this.timeout = timeout;
    this.enabled = enabled;
  }

  Optional<ObjectLock> lockOf(ObjectKey key, BlobClient blob) throws IOException {
    BlobImmutabilityPolicy policy;
    try {
      policy =
          blob.getPropertiesWithResponse(null, timeout, Context.NONE)
              .getValue()
              .getImmutabilityPolicy();
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, key, "read the lock of", false);
    }
    if (policy == null
        || policy.getExpiryTime() == null
        || policy.getPolicyMode() == null
        || policy.getPolicyMode() == BlobImmutabilityPolicyMode.MUTABLE) {
      return Optional.empty();
    }
    return Optional.of(
        new ObjectLock(
            policy.getPolicyMode() == BlobImmutabilityPolicyMode.LOCKED
                ? ObjectLock.Mode.COMPLIANCE
                : ObjectLock.Mode.GOVERNANCE,
            policy.getExpiryTime().toInstant()));
  }

  void lock(ObjectKey key, BlobClient blob, ObjectLock lock) throws IOException {
    if (!enabled) {
      throw new UnsupportedOperationException(id + " was not opened with object locks");
    }
    Optional<ObjectLock> extended = lock.extending(lockOf(key, blob));
    if (extended.isEmpty()) {
      return;
    }
    try {
      blob.setImmutabilityPolicyWithResponse(
          new BlobImmutabilityPolicy()
              .setExpiryTime(extended.get().retainUntil().atOffset(ZoneOffset.UTC))
              .setPolicyMode(
                  extended.get().mode() == ObjectLock.Mode.COMPLIANCE
                      ? BlobImmutabilityPolicyMode.LOCKED
                      : BlobImmutabilityPolicyMode.UNLOCKED),
          null,
          timeout,
          Context.NONE);
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, key, "lock", false);
    }
  }
}
