package io.influxbak.store.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobStorageException;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import io.influxbak.store.TransientStoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import javax.annotation.Nullable;

/**
 * Maps Azure SDK failures to the SPI's typed errors. The SDK's own messages can quote request URLs,
 * and a URL can carry a SAS token, so messages are rebuilt from the status and Azure's error code
 * alone, and the SDK exception is not kept as the cause: nothing secret can reach a log through an
 * exception.
 */
final class AzureErrors {
  private AzureErrors() {}

  /**
   * @param action what was being done, e.g. "write"
   * @param createNew whether "already exists" or a failed precondition means the object already
   *     exists
   */
  /**
   * A failure of a conditional change at {@code expectedVersion}: 412 (another version) and 404
   * (gone) mean the blob is not at that version.
   */
  static IOException conditional(
      RuntimeException e, StoreId store, ObjectKey key, String action, String expectedVersion) {
    if (e instanceof HttpResponseException http
        && http.getResponse() != null
        && (http.getResponse().getStatusCode() == 412
            || http.getResponse().getStatusCode() == 404)) {
      return new ObjectChangedException(store, key, expectedVersion);
    }
    return map(e, store, key, action, false);
  }

  static IOException map(
      RuntimeException e,
      StoreId store,
      @Nullable ObjectKey key,
      String action,
      boolean createNew) {
    String where = "Cannot " + action + (key == null ? "" : " " + key) + " in " + store;
    IOException content = contentFailure(e);
    if (content != null) {
      return content;
    }
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      String code =
          e instanceof BlobStorageException blob && blob.getErrorCode() != null
              ? blob.getErrorCode().toString()
              : null;
      String reason = (code == null ? "" : code + " ") + "(HTTP " + status + ")";
      if (status == 404 && key != null && (code == null || code.equals("BlobNotFound"))) {
        return new ObjectNotFoundException(store, key);
      }
      if ((status == 409 || status == 412)
          && createNew
          && key != null
          && (code == null || code.equals("BlobAlreadyExists") || code.equals("ConditionNotMet"))) {
        return new ObjectAlreadyExistsException(store, key);
      }
      if (status == 409 && key != null && code != null && code.startsWith("BlobImmutable")) {
        // BlobImmutableDueToPolicy, BlobImmutableDueToLegalHold: the blob is untouched.
        return new ObjectLockedException(store, key, reason);
      }
      if (status == 403 || status == 401) {
        return new AccessDeniedException(
            key == null ? store.toString() : key.toString(),
            null,
            where + ": access denied, " + reason);
      }
      if (status == 408 || status == 429 || (status >= 500 && status != 501)) {
        return new TransientStoreException(where + ": " + reason, null);
      }
      return new IOException(where + ": " + reason);
    }
    // Connection failures and timeouts after the SDK's own retries.
    return new TransientStoreException(where + ": " + TransientStoreException.reasonOf(e), null);
  }

  /**
   * The failure of the content being uploaded (the source changed, ended early, could not be read),
   * kept as it is.
   */
  @Nullable
  private static IOException contentFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io
          && (io.getClass().getName().startsWith("io.influxbak.")
              || io instanceof FileSystemException)) {
        return io;
      }
    }
    return null;
  }
}
