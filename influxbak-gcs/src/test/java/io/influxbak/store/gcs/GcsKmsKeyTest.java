package io.influxbak.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.WriteMode;
import io.influxbak.store.gcs.testing.GcsTestServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CMEK: every object the store creates — one-request uploads, resumable uploads, rewrites (copies)
 * and conditional replaces — names the Cloud KMS key, and the GCS test server (which models the
 * parameter, not encryption) reports it back as the object's {@code kmsKeyName}.
 */
class GcsKmsKeyTest {
  private static final String KEY =
      "projects/p/locations/europe-west1/keyRings/backups/cryptoKeys/influxbak";

  @Test
  void everyCreatedObject_carriesTheKey_throughTheSetting() throws Exception {
    String bucket = GcsTestServer.newBucket();
    Map<String, String> properties = new HashMap<>(GcsTestServer.properties());
    properties.put("gcs.kms-key-name", KEY);
    Storage storage = GcsStoreProvider.client(GcsTestServer.properties());
    try (ObjectStore store = ObjectStores.open(URI.create("gs://" + bucket + "/p"), properties)) {
      GcsObjectStore small = ((GcsObjectStore) store); // single uploads up to the default 8 MiB
      small.write(ObjectKey.of("one"), ObjectContent.ofBytes(new byte[100]), WriteMode.CREATE_NEW);
      small.copy(ObjectKey.of("one"), ObjectKey.of("copy"), WriteMode.CREATE_NEW);
      String version = small.stat(ObjectKey.of("one")).orElseThrow().etag().orElseThrow();
      small.replaceIfVersion(ObjectKey.of("one"), ObjectContent.ofBytes(new byte[7]), version);
      for (String name : new String[] {"p/one", "p/copy"}) {
        Blob blob = storage.get(BlobId.of(bucket, name));
        assertThat(blob.getKmsKeyName()).as(name).startsWith(KEY);
      }
    }
    try (GcsObjectStore resumable =
        GcsObjectStore.owning(
                GcsStoreProvider.client(GcsTestServer.properties()),
                bucket,
                KeyPrefix.of("r"),
                new GcsTransferSizes(1 << 10, 256 << 10, 1))
            .withKmsKeyName(KEY)) {
      resumable.write(
          ObjectKey.of("big"), ObjectContent.ofBytes(new byte[300 << 10]), WriteMode.CREATE_NEW);
      assertThat(storage.get(BlobId.of(bucket, "r/big")).getKmsKeyName()).startsWith(KEY);
    }
    // Without the setting, nothing is named: the bucket's default applies.
    try (ObjectStore plain =
        ObjectStores.open(URI.create("gs://" + bucket + "/q"), GcsTestServer.properties())) {
      plain.write(ObjectKey.of("x"), ObjectContent.ofBytes(new byte[3]), WriteMode.CREATE_NEW);
      assertThat(storage.get(BlobId.of(bucket, "q/x")).getKmsKeyName()).isNull();
    }
    storage.close();
  }
}
