package io.influxbak.store.gcs;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.DeadEndpoint;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An endpoint that accepts connections and never answers: with the default settings a listing and a
 * stat fail within 30 s, the client's attempts and core's retries included, with a message naming
 * the store and the timeout.
 */
class DeadEndpointTest {
  @Test
  @Timeout(300)
  void listAndStat_deadEndpoint_failWithinThirtySecondsWithDefaults() throws Exception {
    try (DeadEndpoint dead = new DeadEndpoint()) {
      Map<String, String> settings =
          Map.of("gcs.endpoint", dead.url(), "gcs.no-credentials", "true", "gcs.project", "p");
      try (ObjectStore store = new GcsStoreProvider().open(URI.create("gs://bucket/p"), settings)) {
        DeadEndpoint.assertListAndStatFailFast(store, "gs://bucket");
      }
    }
  }
}
