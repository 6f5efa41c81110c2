package io.influxbak.store.s3;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStoreProvider;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.SecretScrubber;
import io.influxbak.store.StoreNotAvailableException;
import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

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
 *   <tr><td>{@code s3.connect-timeout}</td><td>the longest wait for a connection</td><td>5s</td></tr>
 *   <tr><td>{@code s3.metadata-call-timeout}</td><td>the deadline of a request that moves no object data (a
 *       listing page, HEAD, DELETE, starting or aborting a multipart upload), its attempts included</td><td>5s</td></tr>
 *   <tr><td>{@code s3.sse}</td><td>server-side encryption of every object influxbak creates: {@code aes256}
 *       (SSE-S3), {@code aws:kms} (SSE-KMS) or {@code aws:kms:dsse}</td><td>the bucket's default encryption;
 *       {@code aws:kms} when {@code s3.sse-kms-key-id} is set</td></tr>
 *   <tr><td>{@code s3.sse-kms-key-id}</td><td>the KMS key (id, alias or ARN) of SSE-KMS</td><td>the account's AWS
 *       managed key</td></tr>
 *   <tr><td>{@code s3.object-lock}</td><td>{@code true}: the bucket has S3 Object Lock enabled, so backups can
 *       be locked (see {@link S3ObjectStore#withObjectLocks})</td><td>{@code false}</td></tr>
 *   <tr><td>{@code s3.multipart-threshold}, {@code s3.part-size}, {@code s3.copy-threshold}, {@code
 *       s3.copy-part-size}</td><td>bytes; see {@link S3TransferSizes}</td><td>{@link S3TransferSizes#DEFAULT}</td></tr>
 * </table>
 */
public final class S3StoreProvider implements ObjectStoreProvider {
  /** An S3-compatible server or emulator. */
  public static final StoreSetting<String> ENDPOINT = StoreSetting.text("s3.endpoint");

  /** The region. */
  public static final StoreSetting<String> REGION = StoreSetting.text("s3.region");

  /** Path-style addressing. */
  public static final StoreSetting<Boolean> PATH_STYLE = StoreSetting.flag("s3.path-style");

  /** Static credentials: the key id. */
  public static final StoreSetting<String> ACCESS_KEY_ID = StoreSetting.text("s3.access-key-id");

  /** Static credentials: the secret. */
  public static final StoreSetting<String> SECRET_ACCESS_KEY =
      StoreSetting.text("s3.secret-access-key");

  /** Static credentials: a session token. */
  public static final StoreSetting<String> SESSION_TOKEN = StoreSetting.text("s3.session-token");

  /**
   * When the SDK computes and checks checksums: {@code when-supported} or {@code when-required}.
   */
  public static final StoreSetting<RequestChecksumCalculation> CHECKSUMS =
      StoreSetting.choice(
          "s3.checksums",
          ImmutableMap.of(
              "when-required", RequestChecksumCalculation.WHEN_REQUIRED,
              "when-supported", RequestChecksumCalculation.WHEN_SUPPORTED));

  /** Send Content-MD5 where an operation requires a checksum. */
  public static final StoreSetting<Boolean> LEGACY_MD5 = StoreSetting.flag("s3.legacy-md5");

  /** {@code false} sends bodies unchunked, checksums as headers. */
  public static final StoreSetting<Boolean> CHUNKED_ENCODING =
      StoreSetting.flag("s3.chunked-encoding");

  /** Whether CopyObject honours {@code If-None-Match: *}. */
  public static final StoreSetting<Boolean> CONDITIONAL_COPY_OBJECT =
      StoreSetting.flag("s3.conditional-copy-object");

  /** The HTTP pool. */
  public static final StoreSetting<Integer> MAX_CONNECTIONS =
      StoreSetting.positiveInt("s3.max-connections");

  /** Attempts per request. */
  public static final StoreSetting<Integer> MAX_ATTEMPTS =
      StoreSetting.positiveInt("s3.max-attempts");

  /** The longest wait for a connection. */
  public static final StoreSetting<Duration> CONNECT_TIMEOUT =
      StoreSetting.duration("s3.connect-timeout");

  /**
   * The deadline of a request that moves no object data, attempts included (see {@link
   * S3ObjectStore#withMetadataCallTimeout}).
   */
  public static final StoreSetting<Duration> METADATA_CALL_TIMEOUT =
      StoreSetting.duration("s3.metadata-call-timeout");

  /** See {@link S3TransferSizes#multipartThreshold()}. */
  public static final StoreSetting<Long> MULTIPART_THRESHOLD =
      StoreSetting.bytes("s3.multipart-threshold");

  /** See {@link S3TransferSizes#partSize()}. */
  public static final StoreSetting<Long> PART_SIZE = StoreSetting.bytes("s3.part-size");

  /** See {@link S3TransferSizes#copyThreshold()}. */
  public static final StoreSetting<Long> COPY_THRESHOLD = StoreSetting.bytes("s3.copy-threshold");

  /** See {@link S3TransferSizes#copyPartSize()}. */
  public static final StoreSetting<Long> COPY_PART_SIZE = StoreSetting.bytes("s3.copy-part-size");

  /** Server-side encryption of the objects influxbak creates. */
  public static final StoreSetting<ServerSideEncryption> SSE =
      StoreSetting.choice(
          "s3.sse",
          ImmutableMap.of(
              "aes256", ServerSideEncryption.AES256,
              "aws:kms", ServerSideEncryption.AWS_KMS,
              "aws:kms:dsse", ServerSideEncryption.AWS_KMS_DSSE));

  /** The KMS key of SSE-KMS. */
  public static final StoreSetting<String> SSE_KMS_KEY_ID = StoreSetting.text("s3.sse-kms-key-id");

  /** Whether the bucket has S3 Object Lock. */
  public static final StoreSetting<Boolean> OBJECT_LOCK = StoreSetting.flag("s3.object-lock");

  /** Every setting this provider reads. */
  public static final ImmutableList<StoreSetting<?>> SETTINGS =
      ImmutableList.of(
          ENDPOINT,
          REGION,
          PATH_STYLE,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          SESSION_TOKEN,
          CHECKSUMS,
          LEGACY_MD5,
          CHUNKED_ENCODING,
          CONDITIONAL_COPY_OBJECT,
          MAX_CONNECTIONS,
          MAX_ATTEMPTS,
          CONNECT_TIMEOUT,
          METADATA_CALL_TIMEOUT,
          MULTIPART_THRESHOLD,
          PART_SIZE,
          COPY_THRESHOLD,
          COPY_PART_SIZE,
          SSE,
          SSE_KMS_KEY_ID,
          OBJECT_LOCK);

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
    StoreSettings settings = settings(properties);
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
            settings.get(MULTIPART_THRESHOLD, S3TransferSizes.DEFAULT.multipartThreshold()),
            settings.get(PART_SIZE, S3TransferSizes.DEFAULT.partSize()),
            settings.get(COPY_THRESHOLD, S3TransferSizes.DEFAULT.copyThreshold()),
            settings.get(COPY_PART_SIZE, S3TransferSizes.DEFAULT.copyPartSize()));
    S3Client client;
    try {
      client = clientBuilder(settings).build();
    } catch (SdkClientException e) {
      // The SDK names its provider chain's internals; the operator needs the store and the fix.
      throw new StoreNotAvailableException(
          "Cannot open "
              + ObjectStores.redact(uri)
              + ": "
              + (e.getMessage() != null && e.getMessage().contains("region")
                  ? "no region: set the setting s3.region (or AWS_REGION, or a region in the AWS profile)"
                  : SecretScrubber.describe(e)));
    }
    S3ObjectStore store = S3ObjectStore.owning(client, bucket, root, sizes);
    store =
        store.withMetadataCallTimeout(
            settings.get(METADATA_CALL_TIMEOUT, S3ObjectStore.DEFAULT_METADATA_CALL_TIMEOUT));
    boolean compatible = settings.isSet(ENDPOINT);
    if (!settings.get(CONDITIONAL_COPY_OBJECT, !compatible)) {
      store = store.withoutConditionalCopyObject();
    }
    Optional<String> kmsKey = settings.get(SSE_KMS_KEY_ID);
    Optional<ServerSideEncryption> sse =
        settings.get(SSE).or(() -> kmsKey.map(k -> ServerSideEncryption.AWS_KMS));
    if (kmsKey.isPresent() && sse.get() == ServerSideEncryption.AES256) {
      throw new InvalidStoreSettingException(
          SSE_KMS_KEY_ID.key(),
          "s3.sse-kms-key-id needs s3.sse aws:kms or aws:kms:dsse, not aes256");
    }
    if (sse.isPresent()) {
      store = store.withServerSideEncryption(sse.get(), kmsKey);
    }
    if (settings.get(OBJECT_LOCK, false)) {
      store = store.withObjectLocks();
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
    return clientBuilder(settings(properties));
  }

  private static StoreSettings settings(Map<String, String> properties) {
    return StoreSettings.of("s3.", SETTINGS, properties);
  }

  private static S3ClientBuilder clientBuilder(StoreSettings settings) {
    Optional<String> endpoint = settings.get(ENDPOINT);
    boolean compatible = endpoint.isPresent();
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(settings.get(MAX_CONNECTIONS, 64))
                    .connectionTimeout(settings.get(CONNECT_TIMEOUT, Duration.ofSeconds(5))))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(settings.get(MAX_ATTEMPTS, 5))));
    endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
    Optional<String> region = settings.get(REGION);
    if (region.isPresent()) {
      builder.region(Region.of(region.get()));
    } else if (compatible) {
      builder.region(Region.US_EAST_1);
    }
    builder.forcePathStyle(settings.get(PATH_STYLE, compatible));
    RequestChecksumCalculation checksums =
        settings.get(
            CHECKSUMS,
            compatible
                ? RequestChecksumCalculation.WHEN_REQUIRED
                : RequestChecksumCalculation.WHEN_SUPPORTED);
    builder
        .requestChecksumCalculation(checksums)
        .responseChecksumValidation(
            checksums == RequestChecksumCalculation.WHEN_REQUIRED
                ? ResponseChecksumValidation.WHEN_REQUIRED
                : ResponseChecksumValidation.WHEN_SUPPORTED);
    if (!settings.get(CHUNKED_ENCODING, true)) {
      builder.serviceConfiguration(c -> c.chunkedEncodingEnabled(false));
    }
    if (settings.get(LEGACY_MD5, compatible)) {
      builder.addPlugin(LegacyMd5Plugin.create());
    }
    builder.credentialsProvider(
        AwsCredentialSettings.provider(settings, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN));
    return builder;
  }
}
