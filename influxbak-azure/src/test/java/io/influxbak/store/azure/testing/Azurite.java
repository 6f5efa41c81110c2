package io.influxbak.store.azure.testing;

import com.azure.storage.blob.BlobServiceClient;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.azure.AzureBlobObjectStore;
import io.influxbak.store.azure.AzureStoreProvider;
import io.influxbak.store.azure.AzureTransferSizes;
import io.influxbak.store.testing.TestServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.netty.resources.ConnectionProvider;

/**
 * Azurite 3.37.0's blob service, started once per JVM as a child process on a free loopback port,
 * in memory. The build installs it from the npm registry into the directory the {@code
 * influxbak.azurite} system property names.
 */
public final class Azurite {
  /** Azurite's well-known development account. */
  public static final String ACCOUNT = "devstoreaccount1";

  /** Its well-known key (public: Azurite's documentation prints it). */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static TestServerProcess server;

  private Azurite() {}

  /** The running server, started on first use. */
  public static synchronized TestServerProcess server() {
    if (server == null) {
      String dir = System.getProperty("influxbak.azurite");
      if (dir == null) {
        throw new IllegalStateException(
            "influxbak.azurite is not set: run the tests through Maven, which installs Azurite");
      }
      Path bin = Path.of(dir, "node_modules", ".bin", "azurite-blob");
      if (!Files.isExecutable(bin)) {
        throw new IllegalStateException(
            "No "
                + bin
                + ": run the tests through Maven, which installs Azurite from the npm registry");
      }
      try {
        int port = TestServerProcess.freePort();
        server =
            TestServerProcess.start(
                "Azurite 3.37.0",
                List.of(
                    bin.toString(),
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    Integer.toString(port),
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent"),
                port,
                Path.of("target", "azurite.log"),
                Duration.ofSeconds(60));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /** The blob endpoint, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
  public static String endpoint() {
    return server().endpoint() + "/" + ACCOUNT;
  }

  /** Store settings: the development account's connection string. */
  public static Map<String, String> properties() {
    return ImmutableMap.of(
        "azure.connection-string",
        "DefaultEndpointsProtocol=http;AccountName="
            + ACCOUNT
            + ";AccountKey="
            + KEY
            + ";BlobEndpoint="
            + endpoint()
            + ";");
  }

  /** Creates a container with a unique name and returns its name. */
  public static String newContainer() {
    String name = "test-" + UUID.randomUUID().toString().substring(0, 13);
    ConnectionProvider pool = ConnectionProvider.create("azurite-setup", 4);
    try {
      BlobServiceClient service = AzureStoreProvider.serviceClient(properties(), null, pool);
      service.createBlobContainer(name);
    } finally {
      pool.dispose();
    }
    return name;
  }

  /**
   * A store over a new container, at its root, with the default transfer sizes, on {@code service}.
   */
  public static AzureBlobObjectStore newStore(BlobServiceClient service) {
    return AzureBlobObjectStore.of(
        service,
        service.getBlobContainerClient(newContainer()),
        KeyPrefix.ROOT,
        AzureTransferSizes.DEFAULT,
        null);
  }
}
