package io.influxbak.encryption.gcp;

import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.cloudkms.v1.CloudKMS;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.collect.ImmutableList;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeyProvider;
import io.influxbak.store.StoreNotAvailableException;
import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens {@code gcp-kms:projects/P/locations/L/keyRings/R/cryptoKeys/K} keys. Settings, all
 * optional: {@code gcp-kms.credentials-file} (a service account key; default: Application Default
 * Credentials), {@code gcp-kms.endpoint} (another endpoint, such as a test server), {@code
 * gcp-kms.no-credentials} ({@code true}: send none, for test servers only).
 */
public final class GcpKmsKeyProvider implements KeyEncryptionKeyProvider {
  /** A service account key file. */
  public static final StoreSetting<String> CREDENTIALS_FILE =
      StoreSetting.text("gcp-kms.credentials-file");

  /** Another endpoint. */
  public static final StoreSetting<String> ENDPOINT = StoreSetting.text("gcp-kms.endpoint");

  /** Send no credentials (test servers only). */
  public static final StoreSetting<Boolean> NO_CREDENTIALS =
      StoreSetting.flag("gcp-kms.no-credentials");

  private static final ImmutableList<StoreSetting<?>> SETTINGS =
      ImmutableList.of(CREDENTIALS_FILE, ENDPOINT, NO_CREDENTIALS);

  /** For {@link java.util.ServiceLoader}. */
  public GcpKmsKeyProvider() {}

  @Override
  public String scheme() {
    return "gcp-kms";
  }

  @Override
  public KeyEncryptionKey open(String name, Map<String, String> properties) throws IOException {
    if (!name.matches("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+")) {
      throw new IllegalArgumentException(
          "gcp-kms: names no key; give gcp-kms:projects/P/locations/L/keyRings/R/cryptoKeys/K");
    }
    StoreSettings settings = StoreSettings.of("gcp-kms.", SETTINGS, properties);
    CloudKMS.Builder builder =
        new CloudKMS.Builder(
                new ApacheHttpTransport(), GsonFactory.getDefaultInstance(), credentials(settings))
            .setApplicationName("influxbak");
    Optional<String> endpoint = settings.get(ENDPOINT);
    endpoint.ifPresent(e -> builder.setRootUrl(e.endsWith("/") ? e : e + "/"));
    return new GcpKmsKey(builder.build(), name);
  }

  private static HttpRequestInitializer credentials(StoreSettings settings) throws IOException {
    if (settings.get(NO_CREDENTIALS, false)) {
      return request -> {};
    }
    Optional<String> file = settings.get(CREDENTIALS_FILE);
    GoogleCredentials credentials;
    if (file.isPresent()) {
      try (InputStream in = Files.newInputStream(Path.of(file.get()))) {
        credentials = GoogleCredentials.fromStream(in);
      } catch (IOException e) {
        throw new InvalidStoreSettingException(
            CREDENTIALS_FILE.key(),
            "gcp-kms.credentials-file "
                + file.get()
                + ": "
                + (e instanceof NoSuchFileException
                    ? "no such file"
                    : "not a readable service account key (" + e.getClass().getSimpleName() + ")"));
      }
    } else {
      try {
        credentials = GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new StoreNotAvailableException(
            "Cannot open a gcp-kms key: no Application Default Credentials; set"
                + " gcp-kms.credentials-file or GOOGLE_APPLICATION_CREDENTIALS");
      }
    }
    return new HttpCredentialsAdapter(
        credentials.createScopedRequired()
            ? credentials.createScoped("https://www.googleapis.com/auth/cloudkms")
            : credentials);
  }
}
