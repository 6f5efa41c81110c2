package io.influxbak.store.s3;

import com.google.common.base.Splitter;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens {@link S3ObjectStore}s from {@code s3://bucket/prefix} URIs, building one client per store.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code s3.endpoint}</td><td>an S3-compatible server or emulator, e.g. {@code http://127.0.0.1:9090}</td><td>AWS</td></tr>
 *   <tr><td>{@code s3.region}</td><td>the region</td><td>the SDK's region chain; {@code us-east-1} with an endpoint</td></tr>
 *   <tr><td>{@code s3.path-style}</td><td>path-style addressing</td><td>{@code true} with an endpoint</td></tr>
 *   <tr><td>{@code s3.access-key-id}, {@code s3.secret-access-key}, {@code s3.session-token}</td><td>static
 *       credentials</td><td>the SDK's default credentials chain</td></tr>
 *   <tr><td>{@code s3.checksums}</td><td>{@code when-supported} (the SDK's default: a checksum on every request) or
 *       {@code when-required} (only where an operation requires one, and on our own writes, which always name
 *       CRC32C)</td><td>{@code when-required} with an endpoint, since many S3-compatible servers reject the
 *       default checksums</td></tr>
 *   <tr><td>{@code s3.legacy-md5}</td><td>send Content-MD5 where an operation requires a checksum (servers that
 *       predate flexible checksums)</td><td>{@code true} with an endpoint</td></tr>
 *   <tr><td>{@code s3.chunked-encoding}</td><td>{@code false} sends bodies unchunked, with checksums as headers
 *       (servers that keep header checksums but not trailers, such as S3Proxy)</td><td>{@code true}</td></tr>
 *   <tr><td>{@code s3.conditional-copy-object}</td><td>whether CopyObject honours {@code If-None-Match: *};
 *       otherwise an only-if-absent copy checks the key first (see {@link S3ObjectStore#withoutConditionalCopyObject})
 *       </td><td>{@code true} on AWS, {@code false} with an endpoint</td></tr>
 *   <tr><td>{@code s3.max-connections}</td><td>the HTTP pool; size it to the backup's parallelism</td><td>64</td></tr>
 *   <tr><td>{@code s3.max-attempts}</td><td>attempts per request, by the SDK's standard retry strategy
 *       (throttling and 5xx with backoff)</td><td>5</td></tr>
 *   <tr><td>{@code s3.multipart-threshold}, {@code s3.part-size}, {@code s3.copy-threshold}, {@code
 *       s3.copy-part-size}</td><td>bytes; see {@link S3TransferSizes}</td><td>{@link S3TransferSizes#DEFAULT}</td></tr>
 * </table>
 */
public final class S3StoreProvider implements ObjectStoreProvider {
  @Override
  public String name() {
    return "s3";
  }

  @Override
  public boolean accepts(URI uri) {
    return "s3".equalsIgnoreCase(uri.getScheme());
  }

  @Override
  public ObjectStore open(URI uri, Map<String, String> properties) throws IOException {
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "An S3 URI names a bucket: s3://bucket/prefix, not "
              + uri.getScheme()
              + "://"
              + uri.getRawAuthority());
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    KeyPrefix root =
        path.isEmpty() || path.equals("/") ? KeyPrefix.ROOT : KeyPrefix.of(path.substring(1));
    S3TransferSizes sizes =
        new S3TransferSizes(
            bytes(
                properties, "s3.multipart-threshold", S3TransferSizes.DEFAULT.multipartThreshold()),
            bytes(properties, "s3.part-size", S3TransferSizes.DEFAULT.partSize()),
            bytes(properties, "s3.copy-threshold", S3TransferSizes.DEFAULT.copyThreshold()),
            bytes(properties, "s3.copy-part-size", S3TransferSizes.DEFAULT.copyPartSize()));
    S3ObjectStore store = S3ObjectStore.owning(client(properties), bucket, root, sizes);
    boolean compatible = properties.containsKey("s3.endpoint");
    if (!Boolean.parseBoolean(
        properties.getOrDefault("s3.conditional-copy-object", Boolean.toString(!compatible)))) {
      store = store.withoutConditionalCopyObject();
    }
    return store;
  }

  /** A client built from the settings (see the class documentation). */
  public static S3Client client(Map<String, String> properties) {
    return clientBuilder(properties).build();
  }

  /**
   * A client builder holding the settings (see the class documentation), for callers that add their
   * own interceptors, metrics or HTTP settings before building.
   */
  public static S3ClientBuilder clientBuilder(Map<String, String> properties) {
    @Nullable String endpoint = properties.get("s3.endpoint");
    boolean compatible = endpoint != null;
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(
                        Integer.parseInt(properties.getOrDefault("s3.max-connections", "64")))
                    .connectionTimeout(Duration.ofSeconds(10)))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(
                            b ->
                                b.maxAttempts(
                                    Integer.parseInt(
                                        properties.getOrDefault("s3.max-attempts", "5")))));
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    String region = properties.get("s3.region");
    if (region != null) {
      builder.region(Region.of(region));
    } else if (compatible) {
      builder.region(Region.US_EAST_1);
    }
    builder.forcePathStyle(
        Boolean.parseBoolean(
            properties.getOrDefault("s3.path-style", Boolean.toString(compatible))));
    String checksums =
        properties
            .getOrDefault("s3.checksums", compatible ? "when-required" : "when-supported")
            .toLowerCase(Locale.ROOT);
    switch (checksums) {
      case "when-required" ->
          builder
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      case "when-supported" ->
          builder
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
      default ->
          throw new IllegalArgumentException(
              "Invalid s3.checksums '" + checksums + "': expected when-required or when-supported");
    }
    if (!Boolean.parseBoolean(properties.getOrDefault("s3.chunked-encoding", "true"))) {
      builder.serviceConfiguration(c -> c.chunkedEncodingEnabled(false));
    }
    if (Boolean.parseBoolean(
        properties.getOrDefault("s3.legacy-md5", Boolean.toString(compatible)))) {
      builder.addPlugin(LegacyMd5Plugin.create());
    }
    String keyId = properties.get("s3.access-key-id");
    String secret = properties.get("s3.secret-access-key");
    if (keyId != null && secret != null) {
      String token = properties.get("s3.session-token");
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              token == null
                  ? AwsBasicCredentials.create(keyId, secret)
                  : AwsSessionCredentials.create(keyId, secret, token)));
    } else if (keyId != null || secret != null) {
      throw new IllegalArgumentException(
          "Give both s3.access-key-id and s3.secret-access-key, or neither (the default credentials chain)");
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder;
  }

  private static long bytes(Map<String, String> properties, String key, long fallback) {
    String value = properties.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(
          Splitter.on('_').splitToStream(value.trim()).reduce("", String::concat));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + key + " '" + value + "': expected a number of bytes", e);
    }
  }
}
