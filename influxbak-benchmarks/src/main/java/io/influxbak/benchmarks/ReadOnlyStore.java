package io.influxbak.benchmarks;

import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;

/** A synthetic source a probe only reads: every change is refused, closing does nothing. */
abstract class ReadOnlyStore implements ObjectStore {
  @Override
  public final ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
      throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public final ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String version)
      throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public final void deleteIfVersion(ObjectKey key, String version) throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public final void delete(ObjectKey key) throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public final void close() {}
}
