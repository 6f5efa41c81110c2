package io.influxbak.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.azure.testing.RequestRecorder;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

/**
 * The SPI contract on Azurite, with 1 MiB single uploads and blocks so that the large-object test
 * stages blocks and copies in blocks from the source's URL, and 10 names a page so that the
 * pagination test spans pages.
 */
class AzuriteContractTest extends AbstractObjectStoreContractTest {
  private static final long MIB = 1L << 20;

  private final RequestRecorder recorder = new RequestRecorder();
  private final ConnectionProvider pool = ConnectionProvider.create("contract", 32);
  private final AzureBlobObjectStore store;

  AzuriteContractTest() {
    BlobServiceClient service =
        AzureStoreProvider.serviceClientBuilder(Azurite.properties(), null, pool)
            .addPolicy(recorder)
            .buildClient();
    store =
        AzureBlobObjectStore.of(
                service,
                service.getBlobContainerClient(Azurite.newContainer()),
                KeyPrefix.of("under/a prefix"),
                new AzureTransferSizes(MIB, MIB, MIB, MIB),
                null)
            .withListPageSize(10);
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected long largeObjectSize() {
    return 3 * MIB + 4321;
  }

  /**
   * Azurite does not check a copy's source authorization (Azure does): every copy must carry a SAS.
   */
  @Test
  void copies_alwaysNameTheirSourceWithASas() throws IOException {
    byte[] small = new byte[1000];
    byte[] large = new byte[(int) (2 * MIB + 1)];
    new Random(1).nextBytes(large);
    store.write(key("small"), ObjectContent.ofBytes(small), WriteMode.CREATE_NEW);
    store.write(key("large"), ObjectContent.ofBytes(large), WriteMode.CREATE_NEW);
    recorder.reset();

    store.copy(key("small"), key("small-copy"), WriteMode.CREATE_NEW);
    store.copy(key("large"), key("large-copy"), WriteMode.CREATE_NEW);

    var copies = recorder.requests().stream().filter(r -> r.copySource() != null).toList();
    assertThat(copies).hasSize(1 + 3); // Copy Blob From URL; three Put Block From URL
    assertThat(copies)
        .allSatisfy(r -> assertThat(r.copySource()).contains("sig=").contains("sp=r"));
    assertThat(recorder.requests())
        .allSatisfy(r -> assertThat(r.received()).as("no data read by the client").isZero());
    assertThat(store.stat(key("large-copy")).orElseThrow().checksums())
        .isEqualTo(store.stat(key("large")).orElseThrow().checksums());
    assertThat(read(key("large-copy"))).isEqualTo(large);
  }

  @AfterAll
  void close() {
    pool.dispose();
  }
}
