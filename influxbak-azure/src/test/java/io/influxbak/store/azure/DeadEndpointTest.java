package io.influxbak.store.azure;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.DeadEndpoint;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An endpoint that accepts connections and never answers: with the default settings a listing and a
 * stat fail within 30 s, the SDK's attempts and core's retries included, with a message naming the
 * store and the timeout.
 */
class DeadEndpointTest {
  @Test
  @Timeout(300)
  void listAndStat_deadEndpoint_failWithinThirtySecondsWithDefaults() throws Exception {
    try (DeadEndpoint dead = new DeadEndpoint()) {
      Map<String, String> settings =
          Map.of("azure.endpoint", dead.url() + "/devstoreaccount1", "azure.account-key", "a2V5");
      try (ObjectStore store =
          new AzureStoreProvider().open(URI.create("az://container/p"), settings)) {
        DeadEndpoint.assertListAndStatFailFast(store, "az://");
      }
    }
  }
}
