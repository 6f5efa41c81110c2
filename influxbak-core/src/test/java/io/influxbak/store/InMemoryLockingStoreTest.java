package io.influxbak.store;

import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.time.Clock;

/**
 * The SPI contract against the in-memory store with object locks that core's tests of locked
 * backups rely on: the lock cases run here, enforced on the system clock.
 */
class InMemoryLockingStoreTest extends AbstractObjectStoreContractTest {
  private final InMemoryObjectStore store = InMemoryObjectStore.withLocks(Clock.systemUTC());

  @Override
  protected InMemoryObjectStore store() {
    return store;
  }
}
