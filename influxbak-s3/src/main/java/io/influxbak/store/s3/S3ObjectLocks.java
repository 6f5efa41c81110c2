package io.influxbak.store.s3;

import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock retention on single objects: {@code PutObjectRetention} and {@code
 * GetObjectRetention} on the current version. The held retention is read first and only ever
 * extended (COMPLIANCE kept), so the store never relies on S3 refusing a shorter date: two requests
 * an object, the second skipped when the held lock already reaches as far.
 */
final class S3ObjectLocks {
  private final S3Client client;
  private final String bucket;
  private final StoreId id;
  private final AwsRequestOverrideConfiguration call;
  private final boolean enabled;

  S3ObjectLocks(
      S3Client client,
      String bucket,
      StoreId id,
      AwsRequestOverrideConfiguration call,
      boolean enabled) {
    this.enabled = enabled;
    this.client = client;
    this.bucket = bucket;
    this.id = id;
    this.call = call;
  }

  /** Whether the object exists: what tells a 404 for "no such key" from "no retention". */
  interface Existence {
    boolean exists() throws IOException;
  }

  /**
   * The retention of the current version: one request, and a HEAD only when S3 answers 404 without
   * saying the object has no retention ({@code NoSuchObjectLockConfiguration}; S3Mock answers a
   * bare 404).
   */
  Optional<ObjectLock> lockOf(ObjectKey key, String s3Key, Existence existence) throws IOException {
    try {
      ObjectLockRetention retention =
          client
              .getObjectRetention(b -> b.bucket(bucket).key(s3Key).overrideConfiguration(call))
              .retention();
      if (retention == null || retention.mode() == null || retention.retainUntilDate() == null) {
        return Optional.empty();
      }
      return Optional.of(
          new ObjectLock(
              retention.mode() == ObjectLockRetentionMode.COMPLIANCE
                  ? ObjectLock.Mode.COMPLIANCE
                  : ObjectLock.Mode.GOVERNANCE,
              retention.retainUntilDate()));
    } catch (S3Exception e) {
      if ("NoSuchObjectLockConfiguration".equals(code(e))) {
        return Optional.empty();
      }
      if (e.statusCode() == 404) {
        if (existence.exists()) {
          return Optional.empty();
        }
        throw new ObjectNotFoundException(id, key);
      }
      throw S3Errors.map(e, id, key, "read the lock of", false);
    } catch (SdkException e) {
      throw S3Errors.map(e, id, key, "read the lock of", false);
    }
  }

  void lock(ObjectKey key, String s3Key, ObjectLock lock, Existence existence) throws IOException {
    if (!enabled) {
      throw new UnsupportedOperationException(id + " was not opened with object locks");
    }
    Optional<ObjectLock> extended = lock.extending(lockOf(key, s3Key, existence));
    if (extended.isEmpty()) {
      return;
    }
    try {
      put(s3Key, extended.get());
    } catch (SdkException e) {
      throw S3Errors.map(e, id, key, "lock", false);
    }
  }

  private void put(String s3Key, ObjectLock lock) {
    Instant until = lock.retainUntil();
    client.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key(s3Key)
                .retention(
                    r ->
                        r.mode(
                                lock.mode() == ObjectLock.Mode.COMPLIANCE
                                    ? ObjectLockRetentionMode.COMPLIANCE
                                    : ObjectLockRetentionMode.GOVERNANCE)
                            .retainUntilDate(until))
                .overrideConfiguration(call));
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
