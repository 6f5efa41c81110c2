package io.influxbak.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.gcs.testing.GcsTestServer;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;

/**
 * The SPI contract on the GCS test server, with 1 MiB multipart uploads and 256 KiB resumable
 * chunks so that the large-object test takes the resumable path, 1 MiB rewrite calls so that copies
 * loop on the rewrite token, and 10 names a page; with object locks, which the server enforces
 * (object retention), so the lock cases run here in full.
 */
class FakeGcsContractTest extends AbstractObjectStoreContractTest {
  private final GcsObjectStore store;

  FakeGcsContractTest() throws IOException {
    store =
        GcsObjectStore.owning(
                GcsStoreProvider.client(GcsTestServer.properties()),
                GcsTestServer.newBucket(),
                KeyPrefix.of("under/a prefix"),
                new GcsTransferSizes(1 << 20, 256 << 10, 1))
            .withListPageSize(10)
            .withObjectLocks();
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
    assertThat(GcsTestServer.server().unserved())
        .as("requests the test server does not model")
        .isEmpty();
  }
}
