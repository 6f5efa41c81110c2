package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.CopyThreadDiedException;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A copy thread that ends with an {@link Error} while copying an object fails the backup naming the
 * object. It once left the object out without a word: the backup completed without it, and its
 * check took the gap for a file already absent at the source.
 */
class CopyThreadDiedTest {
  @Test
  void anErrorWhileCopyingAnObject_failsTheBackupNamingIt_withNoManifest() throws IOException {
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"), 1, 2, 3, 1, List.of(CatalogGeneration.V3), 0, 7);
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    ObjectKey doomed = node.keysOf(Set.of(ObjectKind.PARQUET)).iterator().next();
    ObjectStore failing =
        new ForwardingObjectStore(source) {
          @Override
          public InputStream open(ObjectKey key) throws IOException {
            if (key.equals(doomed)) {
              throw new AssertionError("simulated death of a copy thread");
            }
            return super.open(key);
          }
        };
    InMemoryObjectStore destination = new InMemoryObjectStore();

    assertThatThrownBy(
            () ->
                BackupPlan.core("node0")
                    .withOptions(BackupOptions.builder().backupId("b").build())
                    .execute(failing, destination))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(doomed.toString())
        .hasMessageContaining("simulated death of a copy thread")
        .satisfies(
            e ->
                assertThat(((TransferFailedException) e).failures())
                    .singleElement()
                    .satisfies(
                        f -> assertThat(f.cause()).isInstanceOf(CopyThreadDiedException.class)));
    assertThat(destination.stat(ObjectKey.of("b/manifest.json"))).isEmpty();
  }
}
