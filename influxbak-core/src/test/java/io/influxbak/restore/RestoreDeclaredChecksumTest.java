package io.influxbak.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableSet;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.Checksum;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferFailedException;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * What a restore's copies declare to the store they write: the recorded CRC32C to a store that
 * keeps CRC32C (its service checks it), nothing to one that keeps no checksum (a file system),
 * whose bytes the copy's own hashing has checked before their last byte reached it.
 */
class RestoreDeclaredChecksumTest {
  private static final RestoreOptions NO_RETRY =
      RestoreOptions.builder()
          .transfer(TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build())
          .build();

  private final GeneratedNode node =
      CoreNodeArbitraries.build(
          NodeId.of("node0"), 2, 2, 4, 3, List.of(CatalogGeneration.V2), 1, 11);
  private final InMemoryObjectStore source = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();
  private final BackupResult backup;

  RestoreDeclaredChecksumTest() throws IOException {
    node.writeTo(source);
    backup =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("b").build())
            .execute(source, backups);
  }

  @Test
  void restore_toStoreKeepingCrc32c_declaresEachObjectsRecordedCrc32c() throws IOException {
    DeclarationsSeen target = new DeclarationsSeen(new InMemoryObjectStore(), true);

    RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target);

    assertThat(backup.objects()).isNotEmpty();
    for (ManifestEntry entry : backup.objects()) {
      assertThat(target.declared.get(entry.key()))
          .as("declared for %s", entry.key())
          .containsExactly(entry.crc32c().orElseThrow());
    }
  }

  @Test
  void restore_toStoreKeepingNoChecksum_declaresNoneAndWritesTheSameBytes() throws IOException {
    InMemoryObjectStore written = new InMemoryObjectStore();
    DeclarationsSeen target = new DeclarationsSeen(written, false);

    RestorePlan.of("b").withOptions(NO_RETRY).execute(backups, target);

    for (ManifestEntry entry : backup.objects()) {
      assertThat(target.declared.get(entry.key())).as("declared for %s", entry.key()).isEmpty();
      assertThat(written.bytes(entry.key()).orElseThrow())
          .isEqualTo(source.bytes(entry.key()).orElseThrow());
    }
  }

  @Test
  void restore_toStoreKeepingNoChecksum_byteChangedInBackup_refusedAndNotPublished()
      throws IOException {
    ManifestEntry victim =
        backup.objects().stream()
            .filter(e -> e.kind() == ObjectKind.PARQUET)
            .findFirst()
            .orElseThrow();
    ObjectKey stored = KeyPrefix.of("b").resolve(victim.key().toString());
    byte[] changed = backups.bytes(stored).orElseThrow();
    changed[changed.length / 2] ^= 1; // the same size: only the bytes' hashes can tell
    backups.write(stored, ObjectContent.ofBytes(changed), WriteMode.REPLACE);
    // Listed without checksums (as a file system lists), so no check before the first write sees
    // it: the copy's hashing must.
    ObjectStore backupsListedPlain = new DeclarationsSeen(backups, false);
    InMemoryObjectStore written = new InMemoryObjectStore();

    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .withOptions(NO_RETRY)
                    .execute(backupsListedPlain, new DeclarationsSeen(written, false)))
        .isInstanceOf(TransferFailedException.class)
        .hasMessageContaining(victim.key().toString())
        .hasMessageContaining("CRC32C");
    assertThat(written.stat(victim.key())).isEmpty();
  }

  /**
   * Records what each write declares; reports the wrapped store's checksums, or none at all (in its
   * capabilities, listings and stats) as a file system does.
   */
  private static final class DeclarationsSeen extends ForwardingObjectStore {
    final Map<ObjectKey, Set<Checksum>> declared = new ConcurrentHashMap<>();
    private final boolean keepsChecksums;

    DeclarationsSeen(ObjectStore delegate, boolean keepsChecksums) {
      super(delegate);
      this.keepsChecksums = keepsChecksums;
    }

    @Override
    public StoreCapabilities capabilities() {
      return keepsChecksums
          ? delegate().capabilities()
          : new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) throws IOException {
      ObjectIterator listed = delegate().list(prefix);
      return new ObjectIterator() {
        @Override
        public boolean hasNext() throws IOException {
          return listed.hasNext();
        }

        @Override
        public ObjectInfo next() throws IOException {
          return plain(listed.next());
        }

        @Override
        public void close() {
          listed.close();
        }
      };
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
      return delegate().stat(key).map(this::plain);
    }

    @Override
    public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
        throws IOException {
      declared.put(key, ImmutableSet.copyOf(content.knownChecksums()));
      return plain(delegate().write(key, content, mode));
    }

    private ObjectInfo plain(ObjectInfo info) {
      return keepsChecksums
          ? info
          : new ObjectInfo(
              info.key(), info.size(), info.lastModified(), info.etag(), ImmutableSet.of());
    }
  }
}
