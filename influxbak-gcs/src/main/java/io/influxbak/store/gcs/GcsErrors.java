package io.influxbak.store.gcs;

import com.google.cloud.BaseServiceException;
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
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * Maps google-cloud-storage failures to the SPI's typed errors, with messages built from the status
 * and reason alone (never a request URL or a token).
 */
final class GcsErrors {
  private GcsErrors() {}

  /**
   * A failure of a conditional change at {@code expectedVersion}: 412 (another generation) and 404
   * (gone) mean the object is not at that version.
   */
  static IOException conditional(
      RuntimeException e, StoreId store, ObjectKey key, String action, String expectedVersion) {
    if (e instanceof BaseServiceException service
        && (service.getCode() == 412 || service.getCode() == 404)) {
      return new ObjectChangedException(store, key, expectedVersion);
    }
    return map(e, store, key, action, false);
  }

  /**
   * @param action what was being done, e.g. "write"
   * @param createNew whether a failed precondition means the object already exists
   */
  static IOException map(
      RuntimeException e,
      StoreId store,
      @Nullable ObjectKey key,
      String action,
      boolean createNew) {
    String where = "Cannot " + action + (key == null ? "" : " " + key) + " in " + store;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io
          && (io.getClass().getName().startsWith("io.influxbak.")
              || io instanceof FileSystemException)) {
        return io; // the content's own failure (the source changed, ended early, was cancelled)
      }
    }
    if (e instanceof BaseServiceException service) {
      int status = service.getCode();
      String reason =
          status == 0
              ? TransientStoreException.reasonOf(e) // no response: a timeout, a refused connection
              : (service.getReason() == null ? "" : service.getReason() + " ")
                  + "(HTTP "
                  + status
                  + ")";
      if (status == 404 && key != null) {
        return new ObjectNotFoundException(store, key);
      }
      if (status == 412 && createNew && key != null) {
        return new ObjectAlreadyExistsException(store, key);
      }
      if (status == 403 && key != null && underRetention(service)) {
        // GCS refuses to delete or replace an object a retention or hold still holds.
        return new ObjectLockedException(store, key, reason);
      }
      if (status == 401 || status == 403) {
        return new AccessDeniedException(
            key == null ? store.toString() : key.toString(),
            null,
            where + ": access denied, " + reason);
      }
      if (status == 408 || status == 429 || status >= 500 || service.isRetryable() || status == 0) {
        return new TransientStoreException(where + ": " + reason, null);
      }
      return new IOException(where + ": " + reason);
    }
    return new TransientStoreException(where + ": " + TransientStoreException.reasonOf(e), null);
  }

  /** Whether a 403 says a retention or hold holds the object, not that access is denied. */
  private static boolean underRetention(BaseServiceException service) {
    String said = (service.getReason() + " " + service.getMessage()).toLowerCase(Locale.ROOT);
    return said.contains("retention") || said.contains(" hold");
  }
}
