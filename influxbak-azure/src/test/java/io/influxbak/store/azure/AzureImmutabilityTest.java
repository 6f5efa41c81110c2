package io.influxbak.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.RetentionLock;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.azure.testing.HeaderRecorder;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code azure.immutability}: what can be shown here of version-level immutability. Azurite does
 * not implement Set Blob Immutability Policy (it answers 501, Azure/Azurite#2648), so these tests
 * show the request on the wire (the blob's properties read first, then {@code
 * comp=immutabilityPolicies} with the date and mode headers the REST reference names), that a
 * refusal is a typed error naming the blob, and that a locked backup into a container that cannot
 * lock fails at its start marker with nothing copied. That a real account then refuses to delete
 * the blob only a real account can show.
 */
class AzureImmutabilityTest {
  private final HeaderRecorder headers =
      new HeaderRecorder("x-ms-immutability-policy-until-date", "x-ms-immutability-policy-mode");
  private final ConnectionProvider pool = ConnectionProvider.create("immutability", 8);
  private final AzureBlobObjectStore store;

  AzureImmutabilityTest() {
    BlobServiceClient service =
        AzureStoreProvider.serviceClientBuilder(Azurite.properties(), null, pool)
            .addPolicy(headers)
            .buildClient();
    store = Azurite.newStore(service).withObjectLocks();
  }

  @AfterEach
  void close() {
    pool.dispose();
  }

  @Test
  void lock_readsTheHeldPolicy_thenSetsTheImmutabilityPolicy_andAzuritesRefusalNamesTheBlob()
      throws IOException {
    ObjectKey key = ObjectKey.of("a/blob");
    store.write(key, ObjectContent.ofBytes(new byte[] {1, 2, 3}), WriteMode.CREATE_NEW);
    assertThat(store.capabilities().objectLocks()).isTrue();
    assertThat(store.lockOf(key)).isEmpty();
    Instant until = Instant.parse("2027-01-06T10:00:00Z");
    headers.clear();

    assertThatThrownBy(() -> store.lock(key, new ObjectLock(ObjectLock.Mode.COMPLIANCE, until)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(io.influxbak.store.TransientStoreException.class)
        .hasMessageContaining("Cannot lock a/blob")
        .hasMessageContaining("501");

    assertThat(headers.requests())
        .extracting(r -> r.method() + " " + r.query())
        .containsExactly("HEAD ", "PUT comp=immutabilityPolicies");
    assertThat(headers.requests().get(1).headers()) // the date asked, in RFC 1123, and the mode
        .containsExactly("Wed, 06 Jan 2027 10:00:00 GMT", "Locked");
  }

  @Test
  void lockedBackup_intoAContainerThatCannotLock_failsAtItsStartMarker_withNothingCopied()
      throws IOException {
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server =
        new SimulatedCoreServer(live, NodeId.of("node0"), CatalogGeneration.V3, 3);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT));
    server.drain();
    Map<String, String> properties = new HashMap<>(Azurite.properties());
    properties.put("azure.immutability", "true");
    ObjectStore destination =
        new AzureStoreProvider()
            .open(URI.create("az://" + Azurite.newContainer() + "/backups"), properties);
    assertThat(destination.capabilities().objectLocks()).isTrue();

    assertThatThrownBy(
            () ->
                BackupPlan.core("node0")
                    .withOptions(
                        BackupOptions.builder()
                            .backupId("locked")
                            .lock(new RetentionLock(ObjectLock.Mode.GOVERNANCE, Duration.ofDays(7)))
                            .transfer(
                                TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build())
                            .build())
                    .execute(live, destination))
        .hasMessageContaining("Cannot lock locked/" + BackupRepository.STARTED_MARKER);
    assertThat(StoreKeys.under(destination, KeyPrefix.of("locked")))
        .containsExactly(KeyPrefix.of("locked").resolve(BackupRepository.STARTED_MARKER));
    destination.close();
  }
}
