package io.influxbak.store;

import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import io.influxbak.store.testing.InMemoryObjectStore;
import org.junit.jupiter.api.AfterEach;

/** The SPI contract against the in-memory store that core's own tests rely on. */
class InMemoryObjectStoreTest extends AbstractObjectStoreContractTest {
  private final InMemoryObjectStore store = new InMemoryObjectStore();

  @Override
  protected InMemoryObjectStore store() {
    return store;
  }

  @AfterEach
  void noLeakedStreams() {
    store.checkNoOpenStreams();
  }
}
