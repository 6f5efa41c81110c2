package io.influxbak.store.azure;

import java.time.Duration;

/**
 * How an {@link AzureBlobObjectStore} shapes its requests: the listing page size, the deadline of
 * requests that move no blob data, and whether it offers object locks.
 *
 * @param objectLocks whether the container supports version-level immutability
 */
record AzureRequests(int listPageSize, Duration metadataCallTimeout, boolean objectLocks) {
  static final AzureRequests DEFAULT =
      new AzureRequests(5000, AzureBlobObjectStore.DEFAULT_METADATA_CALL_TIMEOUT, false);

  AzureRequests withListPageSize(int names) {
    return new AzureRequests(names, metadataCallTimeout, objectLocks);
  }

  AzureRequests withMetadataCallTimeout(Duration timeout) {
    return new AzureRequests(listPageSize, timeout, objectLocks);
  }

  AzureRequests withObjectLocks() {
    return new AzureRequests(listPageSize, metadataCallTimeout, true);
  }
}
