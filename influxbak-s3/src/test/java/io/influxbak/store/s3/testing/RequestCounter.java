package io.influxbak.store.s3.testing;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Records every S3 request a client makes: operation, key, body bytes sent, and body bytes received
 * for GetObject. A test registers it on a client to count the object data that passes through the
 * client.
 */
public final class RequestCounter implements ExecutionInterceptor {
  /**
   * One request.
   *
   * @param operation the S3 operation, e.g. {@code PutObject}
   * @param key the object key it names, or empty
   * @param sent request body bytes
   * @param received response body bytes (GetObject)
   */
  public record Request(String operation, String key, long sent, long received) {}

  private final List<Request> requests = new ArrayList<>();

  @Override
  public void afterUnmarshalling(
      Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    long sent = context.requestBody().flatMap(b -> b.optionalContentLength()).orElse(0L);
    long received =
        context.response() instanceof GetObjectResponse get && get.contentLength() != null
            ? get.contentLength()
            : 0L;
    String key = context.httpRequest().encodedPath();
    synchronized (requests) {
      requests.add(new Request(operation, key, sent, received));
    }
  }

  /** The requests so far. */
  public List<Request> requests() {
    synchronized (requests) {
      return ImmutableList.copyOf(requests);
    }
  }

  /** Forgets the requests so far. */
  public void reset() {
    synchronized (requests) {
      requests.clear();
    }
  }

  /** Requests of {@code operation}. */
  public List<Request> of(String operation) {
    return requests().stream().filter(r -> r.operation().equals(operation)).toList();
  }
}
