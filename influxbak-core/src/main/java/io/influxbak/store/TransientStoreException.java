package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import javax.annotation.Nullable;

/**
 * A failure that may succeed if the whole operation on the object is tried again later: throttling
 * (S3 503 SlowDown, Azure 503 ServerBusy, GCS 429), a timeout, a dropped connection. Adapters throw
 * it once their SDK's own request retries are spent; core retries the object with backoff, up to a
 * cap. Every other {@link IOException} is permanent and stops the operation at once.
 */
public class TransientStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the key and the reason (never credentials)
   * @param cause the underlying error, if any
   */
  public TransientStoreException(String message, @Nullable Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
  }
}
