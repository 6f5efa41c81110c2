package io.influxbak.store.s3;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The SPI contract on S3Mock, with 5 MiB parts so that the large-object test takes the multipart
 * upload and UploadPartCopy paths, and 10 keys a page so that the pagination test spans pages.
 */
class S3MockContractTest extends AbstractObjectStoreContractTest {
  private static final S3TransferSizes SMALL_PARTS =
      new S3TransferSizes(
          S3TransferSizes.MIN_PART,
          S3TransferSizes.MIN_PART,
          S3TransferSizes.MIN_PART,
          S3TransferSizes.MIN_PART);

  private final S3ObjectStore store;

  S3MockContractTest() {
    Map<String, String> properties = S3TestServers.s3mockProperties();
    String bucket = S3TestServers.newBucket(properties);
    store =
        S3ObjectStore.owning(
                S3StoreProvider.client(properties),
                bucket,
                KeyPrefix.of("under/a prefix"),
                SMALL_PARTS)
            .withListPageSize(10)
            .withoutConditionalCopyObject();
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected long largeObjectSize() {
    return 2 * S3TransferSizes.MIN_PART + 4321;
  }

  /**
   * Not run on S3Mock: it checks {@code If-None-Match} without a lock, and two concurrent PUTs both
   * win (seen here on 5.2.0; sequential conditional PUTs are refused correctly). {@link
   * S3ProxyContractTest} runs this test against S3Proxy, where exactly one wins, as on AWS.
   */
  @Override
  @org.junit.jupiter.api.Disabled(
      "S3Mock 5.2.0 races concurrent conditional PUTs; covered on S3Proxy")
  public void write_concurrentCreateNew_exactlyOneWins() {}

  @AfterAll
  void close() {
    store.close();
  }
}
