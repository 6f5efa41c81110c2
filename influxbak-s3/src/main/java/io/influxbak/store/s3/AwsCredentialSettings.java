package io.influxbak.store.s3;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS credentials a client's settings give, the same for the S3 store ({@code s3.*}) and the
 * KMS key ({@code aws-kms.*}): static credentials when both the key id and the secret are set (with
 * a session token if one is), the SDK's default chain when neither is; one without the other is
 * refused, naming the missing setting.
 */
public final class AwsCredentialSettings {
  private AwsCredentialSettings() {}

  /** The credentials {@code settings} give through these three settings. */
  public static AwsCredentialsProvider provider(
      StoreSettings settings,
      StoreSetting<String> accessKeyId,
      StoreSetting<String> secretAccessKey,
      StoreSetting<String> sessionToken) {
    requireNonNull(settings, "settings is null");
    Optional<String> keyId = settings.get(requireNonNull(accessKeyId, "accessKeyId is null"));
    Optional<String> secret =
        settings.get(requireNonNull(secretAccessKey, "secretAccessKey is null"));
    if (keyId.isPresent() != secret.isPresent()) {
      throw new InvalidStoreSettingException(
          keyId.isPresent() ? secretAccessKey.key() : accessKeyId.key(),
          "Give both "
              + accessKeyId.key()
              + " and "
              + secretAccessKey.key()
              + ", or neither (the default credentials chain)");
    }
    if (keyId.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    Optional<String> token = settings.get(requireNonNull(sessionToken, "sessionToken is null"));
    return StaticCredentialsProvider.create(
        token.isEmpty()
            ? AwsBasicCredentials.create(keyId.get(), secret.get())
            : AwsSessionCredentials.create(keyId.get(), secret.get(), token.get()));
  }
}
