package io.influxbak.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.azure.testing.HeaderRecorder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code azure.encryption-scope}: every request that writes a blob (Put Blob, Put Block, Put Block
 * List, copies) names the scope, as the headers on the wire show. Azurite ignores encryption scopes
 * (it stores nothing encrypted and reports no scope), so what the service does with it only a real
 * account can show.
 */
class AzureEncryptionScopeTest {
  private static final String SCOPE = "influxbak-backups";

  @Test
  void everyWriteNamesTheScope_readsDoNot() throws IOException {
    HeaderRecorder headers = new HeaderRecorder("x-ms-encryption-scope");
    Map<String, String> properties = new HashMap<>(Azurite.properties());
    properties.put("azure.encryption-scope", SCOPE);
    ConnectionProvider pool = ConnectionProvider.create("scope", 8);
    try {
      BlobServiceClient service =
          AzureStoreProvider.serviceClientBuilder(properties, null, pool)
              .addPolicy(headers)
              .buildClient();
      AzureTransferSizes small = new AzureTransferSizes(1 << 10, 1 << 10, 1 << 20, 1 << 10);
      String container = Azurite.newContainer();
      AzureBlobObjectStore store =
          AzureBlobObjectStore.of(
              service, service.getBlobContainerClient(container), KeyPrefix.ROOT, small, null);
      store.write(
          ObjectKey.of("a/small"), ObjectContent.ofBytes(new byte[100]), WriteMode.CREATE_NEW);
      store.write(
          ObjectKey.of("a/blocks"), ObjectContent.ofBytes(new byte[3000]), WriteMode.CREATE_NEW);
      store.copy(ObjectKey.of("a/small"), ObjectKey.of("a/copy"), WriteMode.CREATE_NEW);
      store.copy(ObjectKey.of("a/blocks"), ObjectKey.of("a/copy-blocks"), WriteMode.CREATE_NEW);
      store.open(ObjectKey.of("a/copy")).readAllBytes();

      List<HeaderRecorder.Request> writes =
          headers.requests().stream().filter(r -> r.method().equals("PUT")).toList();
      assertThat(writes).hasSizeGreaterThanOrEqualTo(6); // blobs, blocks, block lists, copies
      assertThat(writes).allMatch(r -> r.headers().get(0).equals(SCOPE));
      assertThat(headers.requests().stream().filter(r -> r.method().equals("GET")))
          .allMatch(r -> r.headers().get(0).equals("null"));
      assertThat(store.open(ObjectKey.of("a/copy-blocks")).readAllBytes()).hasSize(3000);
      // What Azurite keeps of it (probed): nothing; a real account reports the scope here.
      assertThat(
              service
                  .getBlobContainerClient(container)
                  .getBlobClient("a/small")
                  .getProperties()
                  .getEncryptionScope())
          .isNull();
    } finally {
      pool.dispose();
    }
  }
}
