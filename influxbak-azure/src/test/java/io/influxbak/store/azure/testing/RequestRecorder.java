package io.influxbak.store.azure.testing;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import reactor.core.publisher.Mono;

/**
 * Records every request an Azure client sends: method, path, body bytes sent, body bytes received,
 * and the copy source it names ({@code x-ms-copy-source}) with its authorization, if any.
 */
public final class RequestRecorder implements HttpPipelinePolicy {
  /**
   * One request.
   *
   * @param method the HTTP method
   * @param path the URL path, decoded (the account, the container, the blob's name)
   * @param query the URL query (for example {@code comp=block})
   * @param sent request body bytes
   * @param received response body bytes for a GET
   * @param copySource the {@code x-ms-copy-source} header, for copies
   * @param copySourceAuthorization the {@code x-ms-copy-source-authorization} header, for copies
   */
  public record Request(
      String method,
      String path,
      String query,
      long sent,
      long received,
      @Nullable String copySource,
      @Nullable String copySourceAuthorization) {}

  private final List<Request> requests = new ArrayList<>();

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    var request = context.getHttpRequest();
    long sent =
        length(request.getHeaders().getValue(com.azure.core.http.HttpHeaderName.CONTENT_LENGTH));
    return next.process()
        .doOnNext(
            response -> {
              long received =
                  request.getHttpMethod().name().equals("GET")
                      ? length(
                          response.getHeaderValue(
                              com.azure.core.http.HttpHeaderName.CONTENT_LENGTH))
                      : 0;
              String query = request.getUrl().getQuery();
              synchronized (requests) {
                requests.add(
                    new Request(
                        request.getHttpMethod().name(),
                        decodedPath(request.getUrl()),
                        query == null ? "" : query,
                        sent,
                        received,
                        request
                            .getHeaders()
                            .getValue(
                                com.azure.core.http.HttpHeaderName.fromString("x-ms-copy-source")),
                        request
                            .getHeaders()
                            .getValue(
                                com.azure.core.http.HttpHeaderName.fromString(
                                    "x-ms-copy-source-authorization"))));
              }
            });
  }

  private static String decodedPath(java.net.URL url) {
    try {
      return url.toURI().getPath();
    } catch (java.net.URISyntaxException e) {
      return url.getPath();
    }
  }

  private static long length(@Nullable String value) {
    return value == null ? 0 : Long.parseLong(value);
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
}
