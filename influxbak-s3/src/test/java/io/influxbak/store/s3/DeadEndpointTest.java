package io.influxbak.store.s3;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.DeadEndpoint;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that accepts connections and never answers: with the default settings a listing and a
 * HEAD fail within 30 s, the SDK's attempts and core's retries included, with a message naming the
 * store and the timeout (before, one listing took 152 s).
 */
class DeadEndpointTest {
  @Test
  void listAndStat_deadEndpoint_failWithinThirtySecondsWithDefaults() throws Exception {
    try (DeadEndpoint dead = new DeadEndpoint()) {
      Map<String, String> settings =
          Map.of(
              "s3.endpoint", dead.url(),
              "s3.access-key-id", "key",
              "s3.secret-access-key", "secret");
      try (ObjectStore store = new S3StoreProvider().open(URI.create("s3://bucket/p"), settings)) {
        DeadEndpoint.assertListAndStatFailFast(store, "s3://bucket");
      }
    }
  }
}
