package io.influxbak.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;
import reactor.netty.resources.ConnectionProvider;

/**
 * Opens {@link AzureBlobObjectStore}s from {@code az://container/prefix} (the account from {@code
 * azure.account} or {@code azure.endpoint}) and {@code
 * https://<account>.blob.core.windows.net/<container>/<prefix>} URIs.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code azure.account}</td><td>the storage account (for {@code az:} URIs)</td><td>from the endpoint or
 *       connection string</td></tr>
 *   <tr><td>{@code azure.endpoint}</td><td>the blob endpoint, e.g. Azurite's {@code
 *       http://127.0.0.1:10000/devstoreaccount1}</td><td>{@code https://<account>.blob.core.windows.net}</td></tr>
 *   <tr><td>{@code azure.connection-string}</td><td>a connection string (account key or SAS)</td><td></td></tr>
 *   <tr><td>{@code azure.sas-token}</td><td>a SAS token</td><td></td></tr>
 *   <tr><td>{@code azure.account-key}</td><td>the account key</td><td>none of the three:
 *       {@code DefaultAzureCredential} (environment, managed identity, Azure CLI, ...)</td></tr>
 *   <tr><td>{@code azure.max-connections}</td><td>the HTTP pool (Netty's default is small); size it to the backup's
 *       parallelism</td><td>64</td></tr>
 *   <tr><td>{@code azure.max-attempts}</td><td>attempts per request, exponential backoff (throttling, 5xx, timeouts)</td><td>5</td></tr>
 *   <tr><td>{@code azure.connect-timeout}</td><td>the longest wait for a connection</td><td>5s</td></tr>
 *   <tr><td>{@code azure.metadata-call-timeout}</td><td>the deadline of a request that moves no blob data (a
 *       listing page, a stat, a delete), attempts included</td><td>5s</td></tr>
 *   <tr><td>{@code azure.encryption-scope}</td><td>the encryption scope every blob influxbak writes is encrypted
 *       with (its key, Microsoft-managed or in Key Vault, is the scope's)</td><td>the container's default scope</td></tr>
 *   <tr><td>{@code azure.immutability}</td><td>{@code true}: the container supports version-level immutability,
 *       so backups can be locked (see {@link AzureBlobObjectStore#withObjectLocks})</td><td>{@code false}</td></tr>
 *   <tr><td>{@code azure.single-upload-max}, {@code azure.block-size}, {@code azure.copy-from-url-max}, {@code
 *       azure.copy-block-size}</td><td>bytes; see {@link AzureTransferSizes}</td><td>{@link AzureTransferSizes#DEFAULT}</td></tr>
 * </table>
 */
public final class AzureStoreProvider implements ObjectStoreProvider {
  private static final String PUBLIC_HOST = ".blob.core.windows.net";

  /** The storage account (for {@code az:} URIs). */
  public static final StoreSetting<String> ACCOUNT = StoreSetting.text("azure.account");

  /** The blob endpoint, such as Azurite's. */
  public static final StoreSetting<String> ENDPOINT = StoreSetting.text("azure.endpoint");

  /** A connection string (account key or SAS). */
  public static final StoreSetting<String> CONNECTION_STRING =
      StoreSetting.text("azure.connection-string");

  /** A SAS token. */
  public static final StoreSetting<String> SAS_TOKEN = StoreSetting.text("azure.sas-token");

  /** The encryption scope of every blob influxbak writes. */
  public static final StoreSetting<String> ENCRYPTION_SCOPE =
      StoreSetting.text("azure.encryption-scope");

  /** The account key. */
  public static final StoreSetting<String> ACCOUNT_KEY = StoreSetting.text("azure.account-key");

  /** The HTTP pool. */
  public static final StoreSetting<Integer> MAX_CONNECTIONS =
      StoreSetting.positiveInt("azure.max-connections");

  /** Attempts per request. */
  public static final StoreSetting<Integer> MAX_ATTEMPTS =
      StoreSetting.positiveInt("azure.max-attempts");

  /** The longest wait for a connection. */
  public static final StoreSetting<Duration> CONNECT_TIMEOUT =
      StoreSetting.duration("azure.connect-timeout");

  /** See {@link AzureBlobObjectStore#withMetadataCallTimeout}. */
  public static final StoreSetting<Duration> METADATA_CALL_TIMEOUT =
      StoreSetting.duration("azure.metadata-call-timeout");

  /** See {@link AzureTransferSizes#singleUploadMax()}. */
  public static final StoreSetting<Long> SINGLE_UPLOAD_MAX =
      StoreSetting.bytes("azure.single-upload-max");

  /** See {@link AzureTransferSizes#blockSize()}. */
  public static final StoreSetting<Long> BLOCK_SIZE = StoreSetting.bytes("azure.block-size");

  /** See {@link AzureTransferSizes#copyFromUrlMax()}. */
  public static final StoreSetting<Long> COPY_FROM_URL_MAX =
      StoreSetting.bytes("azure.copy-from-url-max");

  /** See {@link AzureTransferSizes#copyBlockSize()}. */
  public static final StoreSetting<Long> COPY_BLOCK_SIZE =
      StoreSetting.bytes("azure.copy-block-size");

  /** Whether the container supports version-level immutability. */
  public static final StoreSetting<Boolean> IMMUTABILITY = StoreSetting.flag("azure.immutability");

  /** Every setting this provider reads. */
  public static final ImmutableList<StoreSetting<?>> SETTINGS =
      ImmutableList.of(
          ACCOUNT,
          ENDPOINT,
          CONNECTION_STRING,
          SAS_TOKEN,
          ACCOUNT_KEY,
          MAX_CONNECTIONS,
          MAX_ATTEMPTS,
          CONNECT_TIMEOUT,
          METADATA_CALL_TIMEOUT,
          SINGLE_UPLOAD_MAX,
          BLOCK_SIZE,
          COPY_FROM_URL_MAX,
          COPY_BLOCK_SIZE,
          ENCRYPTION_SCOPE,
          IMMUTABILITY);

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public boolean accepts(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("az")
        || (scheme.equals("https")
            && uri.getHost() != null
            && uri.getHost().toLowerCase(Locale.ROOT).endsWith(PUBLIC_HOST));
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    StoreSettings settings = settings(properties);
    String container;
    String path;
    @Nullable String endpoint = settings.get(ENDPOINT).orElse(null);
    if ("az".equalsIgnoreCase(uri.getScheme())) {
      container = uri.getHost();
      path = uri.getPath() == null ? "" : uri.getPath();
    } else {
      String account = uri.getHost().substring(0, uri.getHost().length() - PUBLIC_HOST.length());
      endpoint = "https://" + account + PUBLIC_HOST;
      String full = uri.getPath() == null ? "" : uri.getPath();
      int slash = full.indexOf('/', 1);
      container = slash < 0 ? full.substring(1) : full.substring(1, slash);
      path = slash < 0 ? "" : full.substring(slash);
    }
    if (container == null || container.isEmpty()) {
      throw new IllegalArgumentException(
          "An Azure URI names a container: az://container/prefix or https://<account>"
              + PUBLIC_HOST
              + "/<container>/<prefix>");
    }
    KeyPrefix root =
        path.isEmpty() || path.equals("/") ? KeyPrefix.ROOT : KeyPrefix.of(path.substring(1));
    AzureTransferSizes sizes =
        new AzureTransferSizes(
            settings.get(SINGLE_UPLOAD_MAX, AzureTransferSizes.DEFAULT.singleUploadMax()),
            settings.get(BLOCK_SIZE, AzureTransferSizes.DEFAULT.blockSize()),
            settings.get(COPY_FROM_URL_MAX, AzureTransferSizes.DEFAULT.copyFromUrlMax()),
            settings.get(COPY_BLOCK_SIZE, AzureTransferSizes.DEFAULT.copyBlockSize()));
    ConnectionProvider pool =
        ConnectionProvider.builder("influxbak-azure")
            .maxConnections(settings.get(MAX_CONNECTIONS, 64))
            .build();
    try {
      BlobServiceClient service = serviceClientBuilder(settings, endpoint, pool).buildClient();
      BlobContainerClient containerClient = service.getBlobContainerClient(container);
      AzureBlobObjectStore store =
          AzureBlobObjectStore.owning(
                  service, containerClient, root, sizes, sasToken(settings), pool::dispose)
              .withMetadataCallTimeout(
                  settings.get(
                      METADATA_CALL_TIMEOUT, AzureBlobObjectStore.DEFAULT_METADATA_CALL_TIMEOUT));
      return settings.get(IMMUTABILITY, false) ? store.withObjectLocks() : store;
    } catch (RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }

  /** A service client built from the settings (see the class documentation) on {@code pool}. */
  public static BlobServiceClient serviceClient(
      Map<String, String> properties, @Nullable String endpoint, ConnectionProvider pool) {
    return serviceClientBuilder(properties, endpoint, pool).buildClient();
  }

  /**
   * A service client builder holding the settings (see the class documentation), on {@code pool},
   * for callers that add their own pipeline policies before building.
   */
  public static BlobServiceClientBuilder serviceClientBuilder(
      Map<String, String> properties, @Nullable String endpoint, ConnectionProvider pool) {
    return serviceClientBuilder(settings(properties), endpoint, pool);
  }

  private static StoreSettings settings(Map<String, String> properties) {
    return StoreSettings.of("azure.", SETTINGS, properties);
  }

  private static BlobServiceClientBuilder serviceClientBuilder(
      StoreSettings settings, @Nullable String endpoint, ConnectionProvider pool) {
    HttpClient http =
        new NettyAsyncHttpClientBuilder()
            .connectionProvider(pool)
            .connectTimeout(settings.get(CONNECT_TIMEOUT, Duration.ofSeconds(5)))
            .build();
    int attempts = settings.get(MAX_ATTEMPTS, 5);
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .httpClient(http)
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    attempts,
                    (Duration) null,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(10),
                    null));
    // Sent with every request that writes a blob (uploads, blocks, block lists, copies).
    settings.get(ENCRYPTION_SCOPE).ifPresent(builder::encryptionScope);
    String connectionString = settings.get(CONNECTION_STRING).orElse(null);
    String account = settings.get(ACCOUNT).orElse(null);
    if (connectionString != null) {
      builder.connectionString(connectionString);
      if (endpoint != null) {
        builder.endpoint(endpoint);
      }
      return builder;
    }
    if (endpoint == null) {
      if (account == null) {
        throw new IllegalArgumentException(
            "Azure needs the account: set azure.account, azure.endpoint or azure.connection-string");
      }
      endpoint = "https://" + account + PUBLIC_HOST;
    }
    builder.endpoint(endpoint);
    String key = settings.get(ACCOUNT_KEY).orElse(null);
    String sas = settings.get(SAS_TOKEN).orElse(null);
    if (key != null) {
      String name = account != null ? account : accountFrom(endpoint);
      builder.credential(new StorageSharedKeyCredential(name, key));
    } else if (sas != null) {
      builder.sasToken(sas);
    } else {
      builder.credential(new DefaultAzureCredentialBuilder().build());
    }
    return builder;
  }

  /**
   * The SAS token a copy names its source with: the setting, or the one in the connection string.
   */
  @Nullable
  private static String sasToken(StoreSettings settings) {
    String sas = settings.get(SAS_TOKEN).orElse(null);
    if (sas != null) {
      return sas;
    }
    String connectionString = settings.get(CONNECTION_STRING).orElse(null);
    if (connectionString != null) {
      for (String part : connectionString.split(";")) {
        if (part.startsWith("SharedAccessSignature=")) {
          return part.substring("SharedAccessSignature=".length());
        }
      }
    }
    return null;
  }

  /** {@code https://<account>.blob...} or an emulator's {@code http://host:port/<account>}. */
  private static String accountFrom(String endpoint) {
    URI uri = URI.create(endpoint);
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    if (!path.isEmpty()) {
      return path;
    }
    String host = uri.getHost();
    return host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
  }
}
