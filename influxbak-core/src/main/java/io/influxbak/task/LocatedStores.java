package io.influxbak.task;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import java.io.IOException;
import javax.annotation.Nullable;

/**
 * The stores of an operation's two locations, opened in this process: one store when both are the
 * same location, so that copies within it can be server-side, as with one store passed twice.
 */
public final class LocatedStores implements AutoCloseable {
  private final ObjectStore source;
  @Nullable private final ObjectStore separateDestination;

  private LocatedStores(ObjectStore source, @Nullable ObjectStore separateDestination) {
    this.source = source;
    this.separateDestination = separateDestination;
  }

  /** Opens {@code source}, and {@code destination} unless it is the same location. */
  public static LocatedStores open(StoreLocation source, StoreLocation destination)
      throws IOException {
    requireNonNull(destination, "destination is null");
    ObjectStore from = source.open();
    if (destination.equals(source)) {
      return new LocatedStores(from, null);
    }
    try {
      return new LocatedStores(from, destination.open());
    } catch (IOException | RuntimeException e) {
      from.close();
      throw e;
    }
  }

  /** The store of the source location. */
  public ObjectStore source() {
    return source;
  }

  /** The store of the destination location (the source's when the locations are the same). */
  public ObjectStore destination() {
    return separateDestination == null ? source : separateDestination;
  }

  /** Closes the stores (the one store once). */
  @Override
  public void close() throws IOException {
    try (ObjectStore first = source) {
      if (separateDestination != null) {
        separateDestination.close();
      }
    }
  }
}
