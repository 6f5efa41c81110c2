package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Where a store's objects live, without credentials: the URI scheme, the container (bucket, Azure
 * account and container, or absolute directory) and the key prefix of the store's root. Safe to log
 * and to write into manifests; licence files are bound to exactly this location.
 *
 * @param scheme the URI scheme, for example {@code file}, {@code s3}, {@code az}, {@code gs}
 * @param container the bucket, {@code account/container}, or absolute directory
 * @param rootPrefix the key prefix inside the container that the store treats as its root, possibly
 *     empty
 */
public record StoreId(String scheme, String container, String rootPrefix) {
  /** Validates the parts. */
  public StoreId {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(container, "container is null");
    requireNonNull(rootPrefix, "rootPrefix is null");
    checkArgument(!scheme.isEmpty(), "empty scheme");
  }

  @Override
  public String toString() {
    String root = rootPrefix.isEmpty() ? "" : (container.endsWith("/") ? "" : "/") + rootPrefix;
    return scheme + "://" + container + root;
  }
}
