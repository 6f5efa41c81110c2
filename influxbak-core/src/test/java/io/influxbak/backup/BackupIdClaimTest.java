package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The start marker claims a backup id: a second run with the same id writes nothing. */
class BackupIdClaimTest {
  private final InMemoryObjectStore source = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();

  BackupIdClaimTest() throws IOException {
    CoreNodeArbitraries.build(NodeId.of("node0"), 1, 2, 2, 2, List.of(CatalogGeneration.V3), 0, 5)
        .writeTo(source);
  }

  @Test
  void anotherRunClaimsTheIdBetweenTheEmptyCheckAndTheMarker_refusedBeforeAnyObject()
      throws IOException {
    ObjectKey marker = KeyPrefix.of("b").resolve(BackupRepository.STARTED_MARKER);
    ForwardingObjectStore racing =
        new ForwardingObjectStore(backups) {
          @Override
          public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
              throws IOException {
            if (key.equals(marker) && delegate().stat(marker).isEmpty()) {
              // The other run's marker lands first.
              BackupRepository.of(delegate())
                  .writeStarted(BackupId.of("b"), Instant.EPOCH, "the-other-run");
            }
            return super.write(key, content, mode);
          }
        };

    assertThatThrownBy(
            () ->
                BackupPlan.core("node0")
                    .withOptions(BackupOptions.builder().backupId("b").build())
                    .execute(source, racing))
        .isInstanceOf(DestinationNotEmptyException.class)
        .hasMessageContaining(marker.toString());
    assertThat(StoreKeys.under(backups, KeyPrefix.ROOT)).containsExactly(marker);
    assertThat(BackupRepository.of(backups).startedBy(BackupId.of("b"))).contains("the-other-run");
  }

  @Test
  void markerWriteLandedButReportedFailed_retryAcceptsItsOwnMarker() throws IOException {
    AtomicInteger failures = new AtomicInteger();
    ObjectKey marker = KeyPrefix.of("b").resolve(BackupRepository.STARTED_MARKER);
    ForwardingObjectStore flaky =
        new ForwardingObjectStore(backups) {
          @Override
          public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
              throws IOException {
            if (!key.equals(marker)) {
              return super.write(key, content, mode);
            }
            int attempt = failures.incrementAndGet();
            ObjectInfo written = super.write(key, content, mode);
            if (attempt == 1) {
              throw new java.net.SocketTimeoutException("response lost after the write landed");
            }
            return written;
          }
        };

    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder()
                    .backupId("b")
                    .transfer(
                        io.influxbak.transfer.TransferSettings.builder()
                            .retryPolicy(
                                new io.influxbak.transfer.RetryPolicy(
                                    3,
                                    java.time.Duration.ZERO,
                                    java.time.Duration.ZERO,
                                    io.influxbak.transfer.RetryPolicy.Sleeper.REAL))
                            .build())
                    .build())
            .execute(source, flaky);

    assertThat(failures)
        .as("attempts to write the marker, the first reported failed")
        .hasValueGreaterThan(1);
    assertThat(result.objectCount()).isPositive();
  }
}
