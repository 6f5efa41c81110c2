package io.influxbak.store.s3;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The SPI contract on S3Proxy, which checks SigV4 signatures, with the settings an S3-compatible
 * server needs (checksums only where required, Content-MD5 where an operation requires a checksum,
 * unchunked bodies so that checksums travel as headers, which S3Proxy keeps).
 */
class S3ProxyContractTest extends AbstractObjectStoreContractTest {
  private final S3ObjectStore store;

  S3ProxyContractTest() {
    Map<String, String> properties =
        ImmutableMap.<String, String>builder()
            .putAll(S3TestServers.s3proxyProperties())
            .put("s3.chunked-encoding", "false")
            .buildOrThrow();
    String bucket = S3TestServers.newBucket(properties);
    S3TransferSizes small =
        new S3TransferSizes(
            S3TransferSizes.MIN_PART,
            S3TransferSizes.MIN_PART,
            S3TransferSizes.MIN_PART,
            S3TransferSizes.MIN_PART);
    store =
        S3ObjectStore.owning(S3StoreProvider.client(properties), bucket, KeyPrefix.ROOT, small)
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

  @AfterAll
  void close() {
    store.close();
  }
}
