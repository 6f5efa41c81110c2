package io.influxbak.store.azure.testing;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * Records, for every request an Azure client sends, its method, its query and the values of the
 * headers named (the string {@code "null"} for one it does not carry): what tests of a setting that
 * only shows on the wire assert.
 */
public final class HeaderRecorder implements HttpPipelinePolicy {
  /**
   * One request.
   *
   * @param method the HTTP method
   * @param query the URL query, empty if none
   * @param headers the values of the headers named, in order
   */
  public record Request(String method, String query, List<String> headers) {}

  private final List<String> names;
  private final List<Request> seen = new CopyOnWriteArrayList<>();

  /** Records the headers {@code names} of every request. */
  public HeaderRecorder(String... names) {
    this.names = ImmutableList.copyOf(names);
  }

  /** Every request so far. */
  public List<Request> requests() {
    return ImmutableList.copyOf(seen);
  }

  /** Forgets what was recorded. */
  public void clear() {
    seen.clear();
  }

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    var request = context.getHttpRequest();
    String query = request.getUrl().getQuery();
    seen.add(
        new Request(
            request.getHttpMethod().name(),
            query == null ? "" : query,
            names.stream().map(n -> String.valueOf(request.getHeaders().getValue(n))).toList()));
    return next.process();
  }
}
