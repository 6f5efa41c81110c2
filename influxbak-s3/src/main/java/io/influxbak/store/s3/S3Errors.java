package io.influxbak.store.s3;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import io.influxbak.store.TransientStoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Maps SDK failures to the SPI's typed errors. Messages name the store, the key and the service's
 * error code, never credentials: S3's error bodies carry none, and the SDK's client-side messages
 * name no secrets.
 */
final class S3Errors {
  /** Error codes by which S3 refuses content whose checksum is not the declared one. */
  private static final ImmutableSet<String> CHECKSUM_REFUSALS =
      ImmutableSet.of("BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch");

  private S3Errors() {}

  /**
   * A failure of an operation on one object.
   *
   * @param action what was being done, e.g. "write"
   * @param createNew whether a failed precondition means the object already exists
   */
  static IOException map(
      SdkException e, StoreId store, ObjectKey key, String action, boolean createNew) {
    return classify(e, store, key, "Cannot " + action + " " + key + " in " + store, createNew);
  }

  /**
   * A failure of a conditional change at {@code expectedVersion}: 412 (another version), 404 (gone)
   * and 409 (a concurrent conditional write won) all mean the object is not at that version.
   */
  static IOException conditional(
      SdkException e, StoreId store, ObjectKey key, String action, String expectedVersion) {
    if (e instanceof SdkServiceException service
        && (service.statusCode() == 412
            || service.statusCode() == 404
            || service.statusCode() == 409)) {
      ObjectChangedException changed = new ObjectChangedException(store, key, expectedVersion);
      changed.initCause(e);
      return changed;
    }
    return map(e, store, key, action, false);
  }

  /**
   * The SDK's own length check of a write: the content did not give its declared length. Nothing
   * was published.
   */
  static ContentMismatchException lengthMismatch(
      IllegalStateException e, StoreId store, ObjectKey key) {
    ContentMismatchException mismatch =
        new ContentMismatchException(
            key, "writing to " + store + ": " + e.getMessage(), false, true);
    mismatch.initCause(e);
    return mismatch;
  }

  /** A failure of a listing. */
  static IOException listing(SdkException e, StoreId store, String prefix) {
    return classify(
        e,
        store,
        null,
        "Cannot list " + (prefix.isEmpty() ? "the root" : prefix) + " in " + store,
        false);
  }

  private static IOException classify(
      SdkException e, StoreId store, @Nullable ObjectKey key, String where, boolean createNew) {
    if (e instanceof SdkServiceException service) {
      int status = service.statusCode();
      String code =
          e instanceof S3Exception s3 && s3.awsErrorDetails() != null
              ? s3.awsErrorDetails().errorCode()
              : null;
      String reason = (code == null ? "" : code + " ") + "(HTTP " + status + ")";
      if (status == 404 && key != null) {
        ObjectNotFoundException missing = new ObjectNotFoundException(store, key);
        missing.initCause(e);
        return missing;
      }
      if (status == 412 && createNew && key != null) {
        ObjectAlreadyExistsException exists = new ObjectAlreadyExistsException(store, key);
        exists.initCause(e);
        return exists;
      }
      if (key != null && code != null && CHECKSUM_REFUSALS.contains(code)) {
        // The service hashed what arrived and it is not what the write declared.
        ContentMismatchException mismatch =
            new ContentMismatchException(key, where + ": " + reason);
        mismatch.initCause(e);
        return mismatch;
      }
      if (status == 403 || status == 401) {
        AccessDeniedException denied =
            new AccessDeniedException(
                key == null ? store.toString() : key.toString(),
                null,
                where + ": access denied, " + reason);
        denied.initCause(e);
        return denied;
      }
      if (status == 409 || status == 429 || status >= 500 || service.isThrottlingException()) {
        // 409 ConditionalRequestConflict: a concurrent conditional write; S3 asks for a retry.
        return new TransientStoreException(where + ": " + reason, e);
      }
      return new IOException(where + ": " + reason, e);
    }
    if (e instanceof AbortedException) {
      InterruptedIOException interrupted = new InterruptedIOException(where + ": interrupted");
      interrupted.initCause(e);
      return interrupted;
    }
    IOException content = contentFailure(e);
    if (content != null) {
      return content;
    }
    // Connection resets, timeouts: the SDK's own retries are spent.
    return new TransientStoreException(
        where + ": " + (e instanceof SdkClientException ? e.getMessage() : e.toString()), e);
  }

  /**
   * The failure of the content being uploaded, if that is what ended the request: the source
   * changed, ended early, was cancelled, or could not be read. It keeps its own type and message
   * (they name the source).
   */
  @Nullable
  private static IOException contentFailure(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io
          && (io.getClass().getName().startsWith("io.influxbak.")
              || io instanceof FileSystemException)) {
        return io;
      }
    }
    return null;
  }
}
