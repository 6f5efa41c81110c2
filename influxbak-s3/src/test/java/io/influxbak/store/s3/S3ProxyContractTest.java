package io.influxbak.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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

  /**
   * S3Proxy 4.1.0 checks {@code If-Match} and then writes, not as one step: replaces racing on one
   * version can each succeed, where AWS S3 answers all but one with 412 (or 409
   * ConditionalRequestConflict). What holds here: every racer wins or is refused with {@code
   * ObjectChangedException}, and the object ends as one winner's content. The one-winner race is
   * shown on the file system, Azurite and the GCS test server.
   */
  @Override
  @Test
  public void replaceIfVersion_concurrentTakeovers_exactlyOneWins() throws Exception {
    List<Integer> winners = raceConditionalReplaces(6);
    assertThat(winners).isNotEmpty();
    assertThat(winners.stream().map(i -> "taker-" + i)).contains(text("lease"));
  }
}
