package io.influxbak.store.gcs.testing;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.gcs.GcsStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link FakeGcsServer} tests share, started once per JVM, and the settings that point a client
 * at it.
 */
public final class GcsTestServer {
  private static FakeGcsServer server;

  private GcsTestServer() {}

  /** The running server, started on first use. */
  public static synchronized FakeGcsServer server() {
    if (server == null) {
      try {
        server = FakeGcsServer.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop the GCS test server"));
    }
    return server;
  }

  /** Store settings for the server: its endpoint, no credentials, a test project. */
  public static Map<String, String> properties() {
    return ImmutableMap.of(
        "gcs.endpoint",
        server().endpoint(),
        "gcs.no-credentials",
        "true",
        "gcs.project",
        "test-project");
  }

  /** Creates a bucket with a unique name and returns its name. */
  public static String newBucket() {
    String name = "test-" + UUID.randomUUID().toString().substring(0, 13);
    try {
      Storage storage = GcsStoreProvider.client(properties());
      storage.create(BucketInfo.of(name));
      storage.close();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot create bucket " + name + " on " + server().endpoint(), e);
    }
    return name;
  }
}
