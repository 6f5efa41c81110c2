package io.influxbak.store.gcs;

import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * Opens {@link GcsObjectStore}s from {@code gs://bucket/prefix} URIs, one client per store.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code gcs.project}</td><td>the project</td><td>from the credentials</td></tr>
 *   <tr><td>{@code gcs.endpoint}</td><td>another JSON API host (a test server)</td><td>{@code https://storage.googleapis.com}</td></tr>
 *   <tr><td>{@code gcs.credentials-file}</td><td>a service account key file</td><td>Application Default Credentials</td></tr>
 *   <tr><td>{@code gcs.kms-key-name}</td><td>the Cloud KMS key (CMEK) every object influxbak creates is encrypted
 *       with, {@code projects/P/locations/L/keyRings/R/cryptoKeys/K}</td><td>the bucket's default</td></tr>
 *   <tr><td>{@code gcs.object-retention}</td><td>{@code true}: the bucket has object retention enabled, so
 *       backups can be locked (see {@link GcsObjectStore#withObjectLocks})</td><td>{@code false}</td></tr>
 *   <tr><td>{@code gcs.no-credentials}</td><td>{@code true}: send none (test servers only)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code gcs.max-connections}</td><td>the HTTP pool (the JDK's keeps 5 alive); size it to the backup's
 *       parallelism</td><td>64</td></tr>
 *   <tr><td>{@code gcs.max-attempts}</td><td>attempts per request (the client's backoff on 429, 5xx)</td><td>6</td></tr>
 *   <tr><td>{@code gcs.connect-timeout}</td><td>the longest wait for a connection</td><td>5s</td></tr>
 *   <tr><td>{@code gcs.read-timeout}</td><td>the longest wait for the next byte of a response (raise it for
 *       rewrites across locations with a large {@code gcs.rewrite-megabytes-per-call})</td><td>5s</td></tr>
 *   <tr><td>{@code gcs.retry-deadline}</td><td>no new attempt of a request starts after this long</td><td>5s</td></tr>
 *   <tr><td>{@code gcs.single-upload-max}, {@code gcs.chunk-size}, {@code gcs.rewrite-megabytes-per-call}</td><td>see
 *       {@link GcsTransferSizes}</td><td>{@link GcsTransferSizes#DEFAULT}</td></tr>
 * </table>
 */
public final class GcsStoreProvider implements ObjectStoreProvider {
  /** The project. */
  public static final StoreSetting<String> PROJECT = StoreSetting.text("gcs.project");

  /** Another JSON API host (a test server). */
  public static final StoreSetting<String> ENDPOINT = StoreSetting.text("gcs.endpoint");

  /** A service account key file. */
  public static final StoreSetting<String> CREDENTIALS_FILE =
      StoreSetting.text("gcs.credentials-file");

  /** Send no credentials (test servers only). */
  public static final StoreSetting<Boolean> NO_CREDENTIALS =
      StoreSetting.flag("gcs.no-credentials");

  /** The HTTP pool. */
  public static final StoreSetting<Integer> MAX_CONNECTIONS =
      StoreSetting.positiveInt("gcs.max-connections");

  /** Attempts per request. */
  public static final StoreSetting<Integer> MAX_ATTEMPTS =
      StoreSetting.positiveInt("gcs.max-attempts");

  /** The longest wait for a connection. */
  public static final StoreSetting<Duration> CONNECT_TIMEOUT =
      StoreSetting.duration("gcs.connect-timeout");

  /** The longest wait for the next byte of a response. */
  public static final StoreSetting<Duration> READ_TIMEOUT =
      StoreSetting.duration("gcs.read-timeout");

  /** No new attempt of a request starts after this long (with the read timeout, bounds a call). */
  public static final StoreSetting<Duration> RETRY_DEADLINE =
      StoreSetting.duration("gcs.retry-deadline");

  /** See {@link GcsTransferSizes#singleUploadMax()}. */
  public static final StoreSetting<Long> SINGLE_UPLOAD_MAX =
      StoreSetting.bytes("gcs.single-upload-max");

  /** See {@link GcsTransferSizes#chunkSize()}. */
  public static final StoreSetting<Integer> CHUNK_SIZE = StoreSetting.positiveInt("gcs.chunk-size");

  /** See {@link GcsTransferSizes#rewriteMegabytesPerCall()}. */
  public static final StoreSetting<Long> REWRITE_MEGABYTES_PER_CALL =
      StoreSetting.count("gcs.rewrite-megabytes-per-call");

  /** The Cloud KMS key (CMEK) of every object influxbak creates. */
  public static final StoreSetting<String> KMS_KEY_NAME = StoreSetting.text("gcs.kms-key-name");

  /** Whether the bucket has object retention enabled. */
  public static final StoreSetting<Boolean> OBJECT_RETENTION =
      StoreSetting.flag("gcs.object-retention");

  /** Every setting this provider reads. */
  public static final ImmutableList<StoreSetting<?>> SETTINGS =
      ImmutableList.of(
          PROJECT,
          ENDPOINT,
          CREDENTIALS_FILE,
          NO_CREDENTIALS,
          MAX_CONNECTIONS,
          MAX_ATTEMPTS,
          CONNECT_TIMEOUT,
          READ_TIMEOUT,
          RETRY_DEADLINE,
          SINGLE_UPLOAD_MAX,
          CHUNK_SIZE,
          REWRITE_MEGABYTES_PER_CALL,
          KMS_KEY_NAME,
          OBJECT_RETENTION);

  private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "gcs";
  }

  @Override
  public boolean accepts(URI uri) {
    return "gs".equalsIgnoreCase(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    StoreSettings settings = settings(properties);
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("A GCS URI names a bucket: gs://bucket/prefix");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    KeyPrefix root =
        path.isEmpty() || path.equals("/") ? KeyPrefix.ROOT : KeyPrefix.of(path.substring(1));
    GcsTransferSizes sizes =
        new GcsTransferSizes(
            settings.get(SINGLE_UPLOAD_MAX, GcsTransferSizes.DEFAULT.singleUploadMax()),
            settings.get(CHUNK_SIZE, GcsTransferSizes.DEFAULT.chunkSize()),
            settings.get(
                REWRITE_MEGABYTES_PER_CALL, GcsTransferSizes.DEFAULT.rewriteMegabytesPerCall()));
    GcsObjectStore store = GcsObjectStore.owning(client(settings), bucket, root, sizes);
    Optional<String> kmsKeyName = settings.get(KMS_KEY_NAME);
    if (kmsKeyName.isPresent()) {
      store = store.withKmsKeyName(kmsKeyName.get());
    }
    return settings.get(OBJECT_RETENTION, false) ? store.withObjectLocks() : store;
  }

  /** A client built from the settings (see the class documentation). */
  public static Storage client(Map<String, String> properties) throws IOException {
    return client(settings(properties));
  }

  private static StoreSettings settings(Map<String, String> properties) {
    return StoreSettings.of("gcs.", SETTINGS, properties);
  }

  private static Storage client(StoreSettings settings) throws IOException {
    int connections = settings.get(MAX_CONNECTIONS, 64);
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    pool.setMaxTotal(connections);
    pool.setDefaultMaxPerRoute(connections);
    ApacheHttpTransport transport =
        new ApacheHttpTransport(
            HttpClientBuilder.create().setConnectionManager(pool).useSystemProperties().build());
    StorageOptions.Builder builder =
        StorageOptions.http()
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setHttpTransportFactory(() -> transport)
                    .setConnectTimeout(millis(settings.get(CONNECT_TIMEOUT, FIVE_SECONDS)))
                    .setReadTimeout(millis(settings.get(READ_TIMEOUT, FIVE_SECONDS)))
                    .build())
            .setRetrySettings(
                StorageOptions.getDefaultRetrySettings().toBuilder()
                    .setMaxAttempts(settings.get(MAX_ATTEMPTS, 6))
                    .setTotalTimeoutDuration(settings.get(RETRY_DEADLINE, FIVE_SECONDS))
                    .build());
    settings.get(ENDPOINT).ifPresent(builder::setHost);
    settings.get(PROJECT).ifPresent(builder::setProjectId);
    Optional<String> file = settings.get(CREDENTIALS_FILE);
    if (settings.get(NO_CREDENTIALS, false)) {
      builder.setCredentials(NoCredentials.getInstance());
    } else if (file.isPresent()) {
      try (InputStream in = Files.newInputStream(Path.of(file.get()))) {
        builder.setCredentials(GoogleCredentials.fromStream(in));
      } catch (IOException e) {
        // The file's own exception names only the path (or the JSON parser's complaint).
        throw new InvalidStoreSettingException(
            CREDENTIALS_FILE.key(),
            "gcs.credentials-file "
                + file.get()
                + ": "
                + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file"
                    : "not a readable service account key (" + e.getClass().getSimpleName() + ")"));
      }
    }
    return builder.build().getService();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }
}
