package io.influxbak.store.testing;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import java.io.IOException;

/**
 * A listing whose objects pass through a change as the caller reads them: a store that reports less
 * than another (no checksums), or a server that acts on what was just listed (deletes it).
 */
public final class MappedListing implements ObjectIterator {
  /** What happens to each listed object as it is read. */
  @FunctionalInterface
  public interface Change {
    ObjectInfo apply(ObjectInfo listed) throws IOException;
  }

  private final ObjectIterator listing;
  private final Change change;

  /** {@code listing}, each object passed through {@code change} as it is read. */
  public MappedListing(ObjectIterator listing, Change change) {
    this.listing = requireNonNull(listing, "listing is null");
    this.change = requireNonNull(change, "change is null");
  }

  @Override
  public boolean hasNext() throws IOException {
    return listing.hasNext();
  }

  @Override
  public ObjectInfo next() throws IOException {
    return change.apply(listing.next());
  }

  @Override
  public void close() {
    listing.close();
  }
}
