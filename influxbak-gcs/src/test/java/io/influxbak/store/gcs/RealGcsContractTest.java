package io.influxbak.store.gcs;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * The SPI contract against a real bucket, with Application Default Credentials. Opt-in, never run
 * by CI: {@code GCS_TEST_BUCKET=my-bucket mvn -B -pl influxbak-gcs verify -Preal-gcs}. Without the
 * variable it fails rather than skips, so that an opt-in run that tested nothing cannot pass.
 */
@Tag("real-gcs")
class RealGcsContractTest extends AbstractObjectStoreContractTest {
  private final GcsObjectStore store;

  RealGcsContractTest() throws IOException {
    String bucket = System.getenv("GCS_TEST_BUCKET");
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalStateException(
          "Set GCS_TEST_BUCKET to a bucket the Application Default Credentials may write to");
    }
    store =
        GcsObjectStore.owning(
                GcsStoreProvider.client(ImmutableMap.of()),
                bucket,
                KeyPrefix.of("influxbak-test-" + UUID.randomUUID()),
                new GcsTransferSizes(1 << 20, 256 << 10, 1))
            .withListPageSize(10);
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected long largeObjectSize() {
    return 3L * (1 << 20) + 4321;
  }

  @AfterAll
  void close() {
    store.close();
  }
}
