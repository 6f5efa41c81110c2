package io.influxbak.encryption.aws;

import com.google.common.collect.ImmutableList;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeyProvider;
import io.influxbak.store.SecretScrubber;
import io.influxbak.store.StoreNotAvailableException;
import io.influxbak.store.s3.AwsCredentialSettings;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * Opens {@code aws-kms:KEY_ID_OR_ARN} keys. Settings, all optional:
 *
 * <table>
 *   <caption>AWS KMS settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code aws-kms.region}</td><td>the key's region</td><td>the region of an ARN, else
 *       the SDK's region chain</td></tr>
 *   <tr><td>{@code aws-kms.endpoint}</td><td>another KMS endpoint (a VPC endpoint, a test
 *       server)</td><td>AWS</td></tr>
 *   <tr><td>{@code aws-kms.access-key-id}, {@code aws-kms.secret-access-key}, {@code
 *       aws-kms.session-token}</td><td>static credentials (prefer the default chain: a setting
 *       is easier to leak)</td><td>the SDK's default credentials chain</td></tr>
 * </table>
 */
public final class AwsKmsKeyProvider implements KeyEncryptionKeyProvider {
  /** The key's region. */
  public static final StoreSetting<String> REGION = StoreSetting.text("aws-kms.region");

  /** Another endpoint. */
  public static final StoreSetting<String> ENDPOINT = StoreSetting.text("aws-kms.endpoint");

  /** Static credentials: the key id. */
  public static final StoreSetting<String> ACCESS_KEY_ID =
      StoreSetting.text("aws-kms.access-key-id");

  /** Static credentials: the secret. */
  public static final StoreSetting<String> SECRET_ACCESS_KEY =
      StoreSetting.text("aws-kms.secret-access-key");

  /** Static credentials: a session token. */
  public static final StoreSetting<String> SESSION_TOKEN =
      StoreSetting.text("aws-kms.session-token");

  private static final ImmutableList<StoreSetting<?>> SETTINGS =
      ImmutableList.of(REGION, ENDPOINT, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

  /** For {@link java.util.ServiceLoader}. */
  public AwsKmsKeyProvider() {}

  @Override
  public String scheme() {
    return "aws-kms";
  }

  @Override
  public KeyEncryptionKey open(String name, Map<String, String> properties) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("aws-kms: names no key (give aws-kms:KEY_ID_OR_ARN)");
    }
    StoreSettings settings = StoreSettings.of("aws-kms.", SETTINGS, properties);
    KmsClientBuilder builder =
        KmsClient.builder()
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(4)
                    .connectionTimeout(Duration.ofSeconds(5)));
    settings.get(ENDPOINT).ifPresent(e -> builder.endpointOverride(URI.create(e)));
    Optional<String> region = settings.get(REGION).or(() -> regionOfArn(name));
    region.ifPresent(r -> builder.region(Region.of(r)));
    builder.credentialsProvider(
        AwsCredentialSettings.provider(settings, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN));
    try {
      return new AwsKmsKey(builder.build(), name);
    } catch (SdkClientException e) {
      throw new StoreNotAvailableException(
          "Cannot open aws-kms:"
              + name
              + ": "
              + (e.getMessage() != null && e.getMessage().contains("region")
                  ? "no region: set aws-kms.region (or AWS_REGION), or give the key's ARN"
                  : SecretScrubber.describe(e)));
    }
  }

  /** The region an ARN ({@code arn:aws:kms:REGION:ACCOUNT:key/ID}) names. */
  private static Optional<String> regionOfArn(String name) {
    String[] parts = name.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") && !parts[3].isEmpty()
        ? Optional.of(parts[3])
        : Optional.empty();
  }
}
