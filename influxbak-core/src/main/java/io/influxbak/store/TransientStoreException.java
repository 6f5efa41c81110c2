package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
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

  /**
   * Why a request failed below HTTP (no response), in words that carry no secret: "timed out",
   * "connection refused", "unknown host", "no route to host", or else the types of the cause chain.
   * SDK messages are not used: they can quote request URLs, and a URL can carry a token.
   */
  public static String reasonOf(Throwable failure) {
    requireNonNull(failure, "failure is null");
    List<String> types = new ArrayList<>();
    for (Throwable cause = failure; cause != null && types.size() < 8; cause = cause.getCause()) {
      if (cause instanceof TimeoutException
          || cause instanceof SocketTimeoutException
          || cause.getClass().getSimpleName().contains("Timeout")) {
        return "timed out";
      }
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host";
      }
      if (cause instanceof NoRouteToHostException) {
        return "no route to host";
      }
      types.add(cause.getClass().getSimpleName());
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "no response (" + String.join(" <- ", types) + ")";
  }
}
