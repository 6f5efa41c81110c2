package io.influxbak.store.gcs;

import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 *   <tr><td>{@code gcs.no-credentials}</td><td>{@code true}: send none (test servers only)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code gcs.max-connections}</td><td>the HTTP pool (the JDK's keeps 5 alive); size it to the backup's
 *       parallelism</td><td>64</td></tr>
 *   <tr><td>{@code gcs.max-attempts}</td><td>attempts per request (the client's backoff on 429, 5xx)</td><td>6</td></tr>
 *   <tr><td>{@code gcs.single-upload-max}, {@code gcs.chunk-size}, {@code gcs.rewrite-megabytes-per-call}</td><td>see
 *       {@link GcsTransferSizes}</td><td>{@link GcsTransferSizes#DEFAULT}</td></tr>
 * </table>
 */
public final class GcsStoreProvider implements ObjectStoreProvider {
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
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("A GCS URI names a bucket: gs://bucket/prefix");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    KeyPrefix root =
        path.isEmpty() || path.equals("/") ? KeyPrefix.ROOT : KeyPrefix.of(path.substring(1));
    GcsTransferSizes sizes =
        new GcsTransferSizes(
            Long.parseLong(
                properties.getOrDefault(
                    "gcs.single-upload-max",
                    Long.toString(GcsTransferSizes.DEFAULT.singleUploadMax()))),
            Integer.parseInt(
                properties.getOrDefault(
                    "gcs.chunk-size", Integer.toString(GcsTransferSizes.DEFAULT.chunkSize()))),
            Long.parseLong(
                properties.getOrDefault(
                    "gcs.rewrite-megabytes-per-call",
                    Long.toString(GcsTransferSizes.DEFAULT.rewriteMegabytesPerCall()))));
    return GcsObjectStore.owning(client(properties), bucket, root, sizes);
  }

  /** A client built from the settings (see the class documentation). */
  public static Storage client(Map<String, String> properties) throws IOException {
    int connections = Integer.parseInt(properties.getOrDefault("gcs.max-connections", "64"));
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    pool.setMaxTotal(connections);
    pool.setDefaultMaxPerRoute(connections);
    ApacheHttpTransport transport =
        new ApacheHttpTransport(
            HttpClientBuilder.create().setConnectionManager(pool).useSystemProperties().build());
    StorageOptions.Builder builder =
        StorageOptions.http()
            .setTransportOptions(
                HttpTransportOptions.newBuilder().setHttpTransportFactory(() -> transport).build())
            .setRetrySettings(
                StorageOptions.getDefaultRetrySettings().toBuilder()
                    .setMaxAttempts(
                        Integer.parseInt(properties.getOrDefault("gcs.max-attempts", "6")))
                    .build());
    String endpoint = properties.get("gcs.endpoint");
    if (endpoint != null) {
      builder.setHost(endpoint);
    }
    String project = properties.get("gcs.project");
    if (project != null) {
      builder.setProjectId(project);
    }
    String file = properties.get("gcs.credentials-file");
    if (Boolean.parseBoolean(properties.getOrDefault("gcs.no-credentials", "false"))) {
      builder.setCredentials(NoCredentials.getInstance());
    } else if (file != null) {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        builder.setCredentials(GoogleCredentials.fromStream(in));
      }
    }
    return builder.build().getService();
  }
}
